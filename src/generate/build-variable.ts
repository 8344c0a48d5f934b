/**
 * gen's `CRONMETA_BUILD=<build id>` line (docs/switchman-records.md): where the job lines run
 * switchman, every START of the run records keeps the build of the cron.d file that started it.
 * The line goes with the env lines (cron hands a variable only to the lines after it); its value
 * is 16 zeros while the build id is computed, so that the id does not depend on itself.
 */
import type { Config } from "../config/schema.js";

/** The variable switchman reads the build from. */
export const BUILD_VARIABLE = "CRONMETA_BUILD";

/** Its value while the build id is computed: as long as a build id. */
export const BUILD_PLACEHOLDER = "0".repeat(16);

/** Config `env`, plus CRONMETA_BUILD where the job lines run switchman, unless the config sets that variable itself. */
export function envWithBuildVariable(config: Config): Readonly<Record<string, string>> {
  if (config.switchman === false || Object.hasOwn(config.env, BUILD_VARIABLE)) return config.env;
  return { ...config.env, [BUILD_VARIABLE]: BUILD_PLACEHOLDER };
}

/** `text` (rendered with the placeholder) with the line naming `build`. */
export function nameBuild(text: string, build: string): string {
  return text.replace(`\n${BUILD_VARIABLE}=${BUILD_PLACEHOLDER}\n`, `\n${BUILD_VARIABLE}=${build}\n`);
}

/** True for gen's own build line (a 16-hex value): not a setting of the config to import. */
export function isGeneratedBuildSetting(name: string, value: string): boolean {
  return name === BUILD_VARIABLE && /^[0-9a-f]{16}$/.test(value);
}

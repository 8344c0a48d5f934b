/**
 * The configuration schema (SPEC 5): the single source of truth for config keys,
 * their defaults and the JSON Schema shipped in schema/.
 */
import { z } from "zod";
import { envLine } from "../cron/env-line.js";
import { isValidZone } from "../cron/zone.js";
import { CONTROL_CHARACTER_MESSAGE, NO_CONTROL_CHARACTER } from "../syntax/control.js";
import { DEBIAN_PACKAGE_NAME, DEBIAN_PACKAGE_NAME_RULE, USER_NAME, USER_NAME_RULE } from "../syntax/debian.js";
import { ALERT_AFTER_RULE, DURATION_RULE, parseAlertAfter, parseDuration } from "../syntax/duration.js";

const severitySetting = z.enum(["error", "warning", "off"]);

/** Environment variable names cron accepts in a cron.d file (crontab(5): `name = value`). */
const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a shell-style variable name ([A-Za-z_][A-Za-z0-9_]*)");

/** Env values end up on their own cron.d line: no newline or control character may reach it. */
const envValue = z.string().regex(NO_CONTROL_CHARACTER, CONTROL_CHARACTER_MESSAGE);

const absolutePath = z
  .string()
  .regex(/^\/[^\u0000-\u0020\u007f%\\'"`$;&|<>()]*$/, "must be an absolute path without blanks, quotes, `%`, `\\` or shell metacharacters");

const userName = z.string().regex(USER_NAME, `must be a valid user name (${USER_NAME_RULE})`);

const packageName = z.string().regex(DEBIAN_PACKAGE_NAME, `must be a Debian package name (${DEBIAN_PACKAGE_NAME_RULE})`);

/** Globs are relative to the root; one that leaves it would scan (or skip) files outside the project. */
const relativeGlob = z
  .string()
  .min(1)
  .refine((g) => !g.startsWith("/") && !g.replace(/^!/, "").split("/").includes(".."), "must be a glob relative to the root (no leading / and no ..)");

export const switchmanSchema = z.strictObject({
  bin: absolutePath.default("/usr/bin/switchman"),
  config: absolutePath.default("/etc/switchman.conf"),
});

/** The env lines every cron.d file has unless config `env` drops them (set to null). */
export const DEFAULT_ENV: Readonly<Record<string, string>> = {
  SHELL: "/bin/sh",
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
};

export const configSchema = z
  .strictObject({
    // Editors add it to point at the JSON Schema; cronmeta ignores it.
    $schema: z.string().optional().describe("the JSON Schema of this file, for editors (ignored by cronmeta)"),
    include: z.array(relativeGlob).min(1).default(["**/*"]),
    exclude: z.array(relativeGlob).default([]),
    debianDir: z
      .string()
      .min(1)
      .refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), "must be a relative path inside the root")
      .default("debian"),
    defaultPackage: packageName.optional(),
    packages: z.array(packageName).optional(),
    user: userName.default("root"),
    users: z.array(userName).min(1).default(["root"]),
    installDir: absolutePath.default("/usr/bin"),
    env: z
      .record(envName, envValue.nullable())
      // Only values a cron.d line can carry exactly (Debian's load_env(): src/cron/env-line.ts).
      .superRefine((env, ctx) => {
        for (const [name, value] of Object.entries(env)) {
          if (value === null) continue;
          const line = envLine(name, value);
          if (!line.ok) ctx.addIssue({ code: "custom", path: [name], message: line.problem });
        }
      })
      .default({})
      // The names given merge over the defaults (issue 17: a MAILTO alone used to drop SHELL and
      // PATH from every file); null drops a name on purpose.
      .transform((given) => {
        const env: Record<string, string> = { ...DEFAULT_ENV };
        for (const [name, value] of Object.entries(given)) {
          if (value === null) delete env[name];
          else env[name] = value;
        }
        return env;
      })
      .describe(`environment lines of every cron.d file, merged over the defaults (${Object.entries(DEFAULT_ENV).map(([n, v]) => `${n}=${v}`).join(", ")}); null drops one`),
    switchman: z.union([z.literal(false), switchmanSchema]).default({
      bin: "/usr/bin/switchman",
      config: "/etc/switchman.conf",
    }),
    guard: z.boolean().default(true),
    templates: z.string().min(1).optional(),
    rules: z.record(z.string(), severitySetting).default({}),
    // H forms in `time` (docs/spread.md): how their values are chosen, the zone whose DST hours
    // an H hour avoids, and when the cron-stampede rule warns.
    spread: z.enum(["hash", "balanced"]).default("hash"),
    timezone: z.string().refine(isValidZone, "must be an IANA time zone the platform knows (e.g. Europe/Berlin, UTC)").optional(),
    stampedeThreshold: z.int().min(1).default(5),
    // The monitor (docs/monitor.md): defaults of METADATA grace and alert-after, and the manifests.
    grace: z.string().refine((v) => parseDuration(v) !== undefined, `must be ${DURATION_RULE}`).default("5m")
      .describe("how long after its slot a start still counts as on time, unless METADATA grace says otherwise"),
    alertAfter: z.int().refine((v) => parseAlertAfter(String(v)) !== undefined, `must be ${ALERT_AFTER_RULE}`).default(1)
      .describe("consecutive failures before a job counts as an alert, unless METADATA alert-after says otherwise"),
    manifest: z.boolean().default(true).describe("write each package's monitor manifest next to its cron.d file (docs/monitor.md)"),
    canary: z.boolean().default(true).describe("add the canary line (switchman --canary, every minute) to every cron.d file that runs switchman (docs/monitor.md)"),
  })
  .describe("cronmeta configuration (cronmeta.config.json or the \"cronmeta\" key of package.json)");

/** Config as written by the user (all keys optional). */
export type ConfigInput = z.input<typeof configSchema>;

/** Config with every default filled in. */
export type Config = z.output<typeof configSchema>;

/** The default configuration. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

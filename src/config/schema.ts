/**
 * The configuration schema (SPEC 5): the single source of truth for config keys,
 * their defaults and the JSON Schema shipped in schema/.
 */
import * as z from "zod/mini";
import { en } from "zod/locales";
import { envLine } from "../cron/env-line.js";
import { isValidZone } from "../cron/zone.js";
import { CONTROL_CHARACTER_MESSAGE, NO_CONTROL_CHARACTER } from "../syntax/control.js";
import { DEBIAN_PACKAGE_NAME, DEBIAN_PACKAGE_NAME_RULE, USER_NAME, USER_NAME_RULE } from "../syntax/debian.js";
import { ALERT_AFTER_RULE, DURATION_RULE, parseAlertAfter, parseDuration } from "../syntax/duration.js";

// zod/mini (zod's functional API, the same validators and messages): zod's chained API
// (`import { z } from "zod"`) brought 590 KB of code, all its locales included, that every
// lint of a configured project compiled (issue 14). English messages, as the chained API has
// by default.
z.config(en());

const severitySetting = z.enum(["error", "warning", "off"]);

/** Environment variable names cron accepts in a cron.d file (crontab(5): `name = value`). */
const envName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a shell-style variable name ([A-Za-z_][A-Za-z0-9_]*)"));

/** Env values end up on their own cron.d line: no newline or control character may reach it. */
const envValue = z.string().check(z.regex(NO_CONTROL_CHARACTER, CONTROL_CHARACTER_MESSAGE));

const absolutePath = z
  .string()
  .check(z.regex(/^\/[^\u0000-\u0020\u007f%\\'"`$;&|<>()]*$/, "must be an absolute path without blanks, quotes, `%`, `\\` or shell metacharacters"));

const userName = z.string().check(z.regex(USER_NAME, `must be a valid user name (${USER_NAME_RULE})`));

const packageName = z.string().check(z.regex(DEBIAN_PACKAGE_NAME, `must be a Debian package name (${DEBIAN_PACKAGE_NAME_RULE})`));

/** Globs are relative to the root; one that leaves it would scan (or skip) files outside the project. */
const relativeGlob = z
  .string()
  .check(
    z.minLength(1),
    z.refine((g) => !g.startsWith("/") && !g.replace(/^!/, "").split("/").includes(".."), "must be a glob relative to the root (no leading / and no ..)"),
  );

/** `schema` with a description (the JSON Schema's), as the chained API's `.describe()`. */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

export const switchmanSchema = z.strictObject({
  bin: z._default(absolutePath, "/usr/bin/switchman"),
  config: z._default(absolutePath, "/etc/switchman.conf"),
});

/** The env lines every cron.d file has unless config `env` drops them (set to null). */
export const DEFAULT_ENV: Readonly<Record<string, string>> = {
  SHELL: "/bin/sh",
  PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
};

export const configSchema = described(
  z.strictObject({
    // Editors add it to point at the JSON Schema; cronmeta ignores it.
    $schema: described(z.optional(z.string()), "the JSON Schema of this file, for editors (ignored by cronmeta)"),
    include: z._default(z.array(relativeGlob).check(z.minLength(1)), ["**/*"]),
    exclude: z._default(z.array(relativeGlob), []),
    debianDir: z._default(
      z.string().check(
        z.minLength(1),
        z.refine((p) => !p.startsWith("/") && !p.split(/[\\/]/).includes(".."), "must be a relative path inside the root"),
      ),
      "debian",
    ),
    defaultPackage: z.optional(packageName),
    packages: z.optional(z.array(packageName)),
    user: z._default(userName, "root"),
    users: z._default(z.array(userName).check(z.minLength(1)), ["root"]),
    installDir: z._default(absolutePath, "/usr/bin"),
    env: described(
      z.pipe(
        z._default(
          z.record(envName, z.nullable(envValue)).check(
            // Only values a cron.d line can carry exactly (Debian's load_env(): src/cron/env-line.ts).
            z.superRefine((env, ctx) => {
              for (const [name, value] of Object.entries(env)) {
                if (value === null) continue;
                const line = envLine(name, value);
                if (!line.ok) ctx.addIssue({ code: "custom", path: [name], message: line.problem });
              }
            }),
          ),
          {},
        ),
        // The names given merge over the defaults (issue 17: a MAILTO alone used to drop SHELL and
        // PATH from every file); null drops a name on purpose.
        z.transform((given) => {
          const env: Record<string, string> = { ...DEFAULT_ENV };
          for (const [name, value] of Object.entries(given)) {
            if (value === null) delete env[name];
            else env[name] = value;
          }
          return env;
        }),
      ),
      `environment lines of every cron.d file, merged over the defaults (${Object.entries(DEFAULT_ENV).map(([n, v]) => `${n}=${v}`).join(", ")}); null drops one`,
    ),
    switchman: z._default(z.union([z.literal(false), switchmanSchema]), {
      bin: "/usr/bin/switchman",
      config: "/etc/switchman.conf",
    }),
    guard: z._default(z.boolean(), true),
    templates: z.optional(z.string().check(z.minLength(1))),
    rules: z._default(z.record(z.string(), severitySetting), {}),
    // H forms in `time` (docs/spread.md): how their values are chosen, the zone whose DST hours
    // an H hour avoids, and when the cron-stampede rule warns.
    spread: z._default(z.enum(["hash", "balanced"]), "hash"),
    timezone: z.optional(z.string().check(z.refine(isValidZone, "must be an IANA time zone the platform knows (e.g. Europe/Berlin, UTC)"))),
    stampedeThreshold: z._default(z.int().check(z.minimum(1)), 5),
    // The monitor (docs/monitor.md): defaults of METADATA grace and alert-after, and the manifests.
    grace: described(
      z._default(z.string().check(z.refine((v) => parseDuration(v) !== undefined, `must be ${DURATION_RULE}`)), "5m"),
      "how long after its slot a start still counts as on time, unless METADATA grace says otherwise",
    ),
    alertAfter: described(
      z._default(z.int().check(z.refine((v) => parseAlertAfter(String(v)) !== undefined, `must be ${ALERT_AFTER_RULE}`)), 1),
      "consecutive failures before a job counts as an alert, unless METADATA alert-after says otherwise",
    ),
    manifest: described(z._default(z.boolean(), true), "write each package's monitor manifest next to its cron.d file (docs/monitor.md)"),
    canary: described(
      z._default(z.boolean(), true),
      "add the canary line (switchman --canary, every minute) to every cron.d file that runs switchman (docs/monitor.md)",
    ),
  }),
  'cronmeta configuration (cronmeta.config.json or the "cronmeta" key of package.json)',
);

/** Config as written by the user (all keys optional). */
export type ConfigInput = z.input<typeof configSchema>;

/** Config with every default filled in. */
export type Config = z.output<typeof configSchema>;

/** The default configuration. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}

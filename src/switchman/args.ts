/**
 * switchman's command line (SPEC 8): options stop at the first non-option or `--`; everything
 * after is CMD and its arguments, verbatim. Never throws: problems come back as a message.
 */
import { basename } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEBIAN_PACKAGE_NAME_RULE, isDebianPackageName } from "../syntax/debian.js";
import { DURATION_RULE, durationProblem, parseDuration } from "../syntax/duration.js";
import { LOCKNAME_RULE, locknameProblem } from "../syntax/lockname.js";
import { DEFAULT_CONFIG_PATH } from "./config.js";

/** What the command line asks for. */
export type Invocation =
  | { kind: "help" }
  | { kind: "version" }
  | {
      kind: "run";
      config: string;
      group?: string;
      lockname?: string;
      /** `--package`: names the job in the run records (default: the group). */
      package?: string;
      /** `--timeout`: CMD's time limit, as written and in seconds. */
      timeout?: { text: string; seconds: number };
      command: string[];
    }
  | { kind: "status"; config: string; names: string[]; local: boolean; format: "table" | "json" };

const options = {
  config: { type: "string", short: "c" },
  group: { type: "string", short: "g" },
  package: { type: "string" },
  lockname: { type: "string" },
  "no-lock": { type: "boolean" },
  timeout: { type: "string" },
  lease: { type: "string", multiple: true },
  status: { type: "boolean" },
  local: { type: "boolean" },
  format: { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} satisfies ParseArgsConfig["options"];

/** The options `--status` takes; the others belong to a run. */
const STATUS_OPTIONS = new Set(["config", "status", "local", "format", "help", "version"]);

/** Why `name` cannot be a lock name, as switchman says it; undefined when it can. */
export function locknameError(name: string): string | undefined {
  const problem = locknameProblem(name);
  return problem === undefined ? undefined : `lock name ${JSON.stringify(name)} is invalid: it ${problem} (${LOCKNAME_RULE})`;
}

/** Usage text for `--help`. */
export const USAGE = `Usage: switchman [-c|--config FILE] [-g|--group GROUP] [--package PKG] [--lockname NAME] [--no-lock]
                 [--timeout DURATION] -- CMD [ARGS...]
       switchman [-c|--config FILE] --status [--local] [--format table|json] [LOCKNAME...]

Runs CMD under a fleet-wide lock (ZooKeeper) or a host-local lock (flock), only on the
hosts of GROUP, stops it when the lock or the group is lost or its time is up, and records
every run (ZooKeeper <prefix>/runs, a journal and a Prometheus textfile on the host).

  -c, --config FILE     configuration (default ${DEFAULT_CONFIG_PATH})
  -g, --group GROUP     run only on hosts of this group
      --package PKG     the job's package, for the run records (default: GROUP)
      --lockname NAME   lock name (default: the base name of CMD)
      --no-lock         run without the exclusive lock (group check only)
      --timeout DURATION  stop CMD when it runs longer (90s, 30m, 2h): exit 124
      --lease R=C:T     resource leases (not supported yet)
      --status          print the run records (ZooKeeper's, or this host's in local mode)
      --local           with --status: this host's records, also in ZooKeeper mode
      --format FORMAT   with --status: table (default) or json
  -h, --help            show this help
  -v, --version         show the version

Exit status: CMD's exit code; 128+N if CMD died of signal N; 0 when skipped (not in the
group, lock held); 2 usage or configuration error; 75 ZooKeeper unreachable at start;
70 CMD stopped because the lock or the group was lost; 124 CMD stopped at --timeout.
`;

/** Parses switchman's arguments. */
export function parseInvocation(argv: string[]): Invocation | { error: string } {
  // First pass (lenient): find where switchman's options end. Option values are consumed as
  // values (`--lockname x`), so the first positional token is CMD.
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  let end = argv.length;
  let commandStart = argv.length;
  for (const token of tokens) {
    if (token.kind === "positional") {
      end = token.index;
      commandStart = token.index;
      break;
    }
    if (token.kind === "option-terminator") {
      end = token.index;
      commandStart = token.index + 1;
      break;
    }
  }
  const ours = argv.slice(0, end);
  const command = argv.slice(commandStart);
  if (ours.includes("--status")) return parseStatus(argv);

  let parsed;
  try {
    parsed = parseArgs({ args: ours, options, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    return { error: parseErrorMessage(error as Error & { code?: string }) };
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option" || token.name === "lease") continue;
    if (seen.has(token.name)) return { error: `option --${token.name} given more than once` };
    seen.add(token.name);
  }
  const values = parsed.values;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (values.lease !== undefined) {
    return { error: "--lease is not supported yet (leases come in a later release); remove it from the command line" };
  }
  for (const name of ["local", "format"] as const) {
    if (values[name] !== undefined) return { error: `--${name} goes with --status` };
  }
  if (values["no-lock"] && values.lockname !== undefined) return { error: "--lockname and --no-lock exclude each other" };
  if (values.package !== undefined && !isDebianPackageName(values.package)) {
    return { error: `--package ${JSON.stringify(values.package)} is not a Debian package name (${DEBIAN_PACKAGE_NAME_RULE})` };
  }
  let timeout: { text: string; seconds: number } | undefined;
  if (values.timeout !== undefined) {
    const seconds = parseDuration(values.timeout);
    if (seconds === undefined) return { error: `--timeout ${JSON.stringify(values.timeout)} ${durationProblem(values.timeout) ?? `is not ${DURATION_RULE}`}` };
    timeout = { text: values.timeout, seconds };
  }
  if (values.group === "") return { error: "--group must not be empty" };
  if (values.config === "") return { error: "--config must not be empty" };
  const [program] = command;
  if (program === undefined || program === "") return { error: "no command given (usage: switchman [OPTIONS] -- CMD [ARGS...])" };

  const invocation: Invocation = { kind: "run", config: values.config ?? DEFAULT_CONFIG_PATH, command };
  if (values.group !== undefined) invocation.group = values.group;
  if (values.package !== undefined) invocation.package = values.package;
  if (timeout !== undefined) invocation.timeout = timeout;
  if (!values["no-lock"]) {
    const lockname = values.lockname ?? basename(program);
    const problem = locknameError(lockname);
    if (problem !== undefined) {
      return { error: values.lockname === undefined ? `${problem} (it is CMD's base name; pass --lockname NAME)` : problem };
    }
    invocation.lockname = lockname;
  }
  return invocation;
}

/** `--status [--local] [--format table|json] [LOCKNAME...]`: every argument is ours, names are lock names. */
function parseStatus(argv: string[]): Invocation | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    return { error: parseErrorMessage(error as Error & { code?: string }) };
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option") continue;
    if (!STATUS_OPTIONS.has(token.name)) return { error: `--${token.name} does not go with --status (see switchman --help)` };
    if (seen.has(token.name)) return { error: `option --${token.name} given more than once` };
    seen.add(token.name);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (values.config === "") return { error: "--config must not be empty" };
  const format = values.format ?? "table";
  if (format !== "table" && format !== "json") return { error: `--format must be table or json, not ${JSON.stringify(format)}` };
  for (const name of positionals) {
    const problem = locknameError(name);
    if (problem !== undefined) return { error: problem };
  }
  return { kind: "status", config: values.config ?? DEFAULT_CONFIG_PATH, names: positionals, local: values.local === true, format };
}

// node's messages suggest `--` for unknown options, which would make them CMD: say it plainly.
function parseErrorMessage(error: Error & { code?: string }): string {
  // "Option '-g, --group <value>' argument missing": name the long form when there is one.
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? "";
  const name = /--[A-Za-z0-9][\w-]*/.exec(quoted)?.[0] ?? /-[A-Za-z0-9]/.exec(quoted)?.[0];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && name !== undefined) return `unknown option ${name} (see switchman --help)`;
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && name !== undefined) {
    return `option ${name} needs a value`;
  }
  return error.message.split("\n")[0] ?? "invalid arguments";
}

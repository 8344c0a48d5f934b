/**
 * switchman's command line (SPEC 8): options stop at the first non-option or `--`; everything
 * after is CMD and its arguments, verbatim. Never throws: problems come back as a message.
 */
import { basename } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEBIAN_PACKAGE_NAME_RULE, isDebianPackageName } from "../syntax/debian.js";
import { CONCURRENCY_RULE, type Concurrency, isConcurrency } from "../syntax/concurrency.js";
import { DURATION_RULE, durationProblem, parseDuration } from "../syntax/duration.js";
import { type Lease, LEASE_RULE, leaseConstantProblem, parseLease } from "../syntax/lease.js";
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
      /**
       * `--concurrency` (default forbid; `--no-lock` is allow): what this run does when another run
       * holds the lock. `lockname` is set unless this is allow.
       */
      concurrency: Concurrency;
      /**
       * `--lease`, in the order given, each syntax checked (and COUNT/TOTAL checked where they use
       * no macro), resources distinct as written. Their values depend on the host: evaluate with
       * evaluateLease() at run time (a problem there is exit 2 naming the lease).
       */
      leases: Lease[];
      /**
       * `--wait` (or its synonym `--lease-timeout`): the longest this run waits for its lock or its
       * leases before it gives up, as written and in seconds. Absent: no limit set on the command line.
       */
      wait?: { text: string; seconds: number };
      command: string[];
    }
  | { kind: "status"; config: string; names: string[]; local: boolean; format: "table" | "json" }
  /** `--canary`: the cron.d file's canary line, parsed by canary.ts (loaded only then). */
  | { kind: "canary"; argv: string[] };

const options = {
  config: { type: "string", short: "c" },
  group: { type: "string", short: "g" },
  package: { type: "string" },
  lockname: { type: "string" },
  "no-lock": { type: "boolean" },
  lock: { type: "boolean" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  lease: { type: "string", multiple: true },
  wait: { type: "string" },
  "lease-timeout": { type: "string" },
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
                 [--concurrency forbid|allow|replace] [--lease RESOURCE=COUNT:TOTAL]...
                 [--wait DURATION] [--timeout DURATION] -- CMD [ARGS...]
       switchman [-c|--config FILE] --status [--local] [--format table|json] [LOCKNAME...]
       switchman [-c|--config FILE] --canary --package PKG --build ID

Runs CMD under a fleet-wide lock (ZooKeeper) or a host-local lock (flock), only on the
hosts of GROUP, stops it when the lock or the group is lost or its time is up, and records
every run (ZooKeeper <prefix>/runs, a journal and a Prometheus textfile on the host).

  -c, --config FILE     configuration (default ${DEFAULT_CONFIG_PATH})
  -g, --group GROUP     run only on hosts of this group
      --package PKG     the job's package, for the run records (default: GROUP)
      --lockname NAME   lock name (default: the base name of CMD)
      --concurrency POLICY  when another run holds the lock: forbid (default: skip),
                        allow (no lock, as --no-lock) or replace (stop it, then run)
      --no-lock         run without the exclusive lock (--concurrency allow)
      --lease RESOURCE=COUNT:TOTAL  take COUNT of TOTAL units of RESOURCE while CMD runs
                        (repeatable); COUNT and TOTAL: whole numbers, CPU, MEMMB,
                        + - * / ( ); FQDN in RESOURCE is this host's name
      --wait DURATION   the longest to wait for the lock or the leases (90s, 30m, 2h)
      --lease-timeout DURATION  the same as --wait
      --timeout DURATION  stop CMD when it runs longer (90s, 30m, 2h): exit 124
      --status          print the run records (ZooKeeper's, or this host's in local mode)
      --local           with --status: this host's records, also in ZooKeeper mode
      --format FORMAT   with --status: table (default) or json
      --canary          the canary line of a cron.d file: note that cron runs it (docs/monitor.md)
  -h, --help            show this help
  -v, --version         show the version

Exit status: CMD's exit code; 128+N if CMD died of signal N; 0 when skipped (not in the
group, lock held); 2 usage or configuration error; 75 ZooKeeper unreachable at start;
70 CMD stopped because the lock, a lease or the group was lost; 124 CMD stopped at
--timeout; 69 gave up at --wait (nothing was run).
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
  if (ours.includes("--canary")) return { kind: "canary", argv };

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
  for (const name of ["local", "format"] as const) {
    if (values[name] !== undefined) return { error: `--${name} goes with --status` };
  }
  const concurrency = parseConcurrency(values);
  if ("error" in concurrency) return concurrency;
  if (concurrency.policy === "allow" && values.lockname !== undefined) {
    return { error: `--lockname and ${values["no-lock"] ? "--no-lock" : "--concurrency allow"} exclude each other (allow takes no lock)` };
  }
  const leases = parseLeases(values.lease ?? []);
  if ("error" in leases) return leases;
  const wait = parseWait(values);
  if (wait !== undefined && "error" in wait) return wait;
  if (wait !== undefined && concurrency.policy === "allow" && leases.leases.length === 0) {
    return { error: `--${wait.option} with ${values["no-lock"] ? "--no-lock" : "--concurrency allow"} and no --lease: there is no lock or lease to wait for` };
  }
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

  const invocation: Invocation = { kind: "run", config: values.config ?? DEFAULT_CONFIG_PATH, command, concurrency: concurrency.policy, leases: leases.leases };
  if (values.group !== undefined) invocation.group = values.group;
  if (values.package !== undefined) invocation.package = values.package;
  if (timeout !== undefined) invocation.timeout = timeout;
  if (wait !== undefined) invocation.wait = { text: wait.text, seconds: wait.seconds };
  if (concurrency.policy !== "allow") {
    const lockname = values.lockname ?? basename(program);
    const problem = locknameError(lockname);
    if (problem !== undefined) {
      return { error: values.lockname === undefined ? `${problem} (it is CMD's base name; pass --lockname NAME)` : problem };
    }
    invocation.lockname = lockname;
  }
  return invocation;
}

type RunValues = { "no-lock"?: boolean; lock?: boolean; concurrency?: string; wait?: string; "lease-timeout"?: string };

/**
 * `--concurrency`, `--no-lock` and App::switchman's `--lock` (its Getopt `lock!`; the default):
 * one policy, or an error for a contradiction (`--no-lock --concurrency replace`).
 */
function parseConcurrency(values: RunValues): { policy: Concurrency } | { error: string } {
  if (values.lock && values["no-lock"]) return { error: "--lock and --no-lock exclude each other" };
  const given = values.concurrency;
  if (given === undefined) return { policy: values["no-lock"] ? "allow" : "forbid" };
  if (!isConcurrency(given)) return { error: `--concurrency ${JSON.stringify(given)} is invalid: it must be ${CONCURRENCY_RULE}` };
  if (values["no-lock"] && given !== "allow") return { error: `--no-lock and --concurrency ${given} exclude each other (--no-lock is --concurrency allow)` };
  if (values.lock && given === "allow") return { error: "--lock and --concurrency allow exclude each other (allow takes no lock)" };
  return { policy: given };
}

/** Every `--lease`, syntax checked; a bad one (or a resource given twice) is an error naming it. */
function parseLeases(texts: string[]): { leases: Lease[] } | { error: string } {
  const leases: Lease[] = [];
  const resources = new Set<string>();
  for (const text of texts) {
    const parsed = parseLease(text);
    const problem = parsed.ok ? leaseConstantProblem(parsed.lease) : parsed;
    if (problem !== undefined) {
      return { error: `--lease ${JSON.stringify(text)} is invalid at column ${problem.column}: ${problem.message} (${LEASE_RULE})` };
    }
    if (!parsed.ok) continue; // unreachable: a parse failure is a problem above
    if (resources.has(parsed.lease.resource)) {
      return { error: `--lease ${JSON.stringify(text)}: resource ${parsed.lease.resource} is leased twice; give each resource once` };
    }
    resources.add(parsed.lease.resource);
    leases.push(parsed.lease);
  }
  return { leases };
}

/** `--wait DURATION` or its synonym `--lease-timeout DURATION` (not both). */
function parseWait(values: RunValues): { option: string; text: string; seconds: number } | { error: string } | undefined {
  if (values.wait !== undefined && values["lease-timeout"] !== undefined) {
    return { error: "--wait and --lease-timeout are the same limit: give one of them" };
  }
  const option = values.wait !== undefined ? "wait" : "lease-timeout";
  const text = values.wait ?? values["lease-timeout"];
  if (text === undefined) return undefined;
  const seconds = parseDuration(text);
  if (seconds === undefined) return { error: `--${option} ${JSON.stringify(text)} ${durationProblem(text) ?? `is not ${DURATION_RULE}`}` };
  return { option, text, seconds };
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

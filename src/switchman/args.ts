/**
 * switchman's command line (SPEC 8): options stop at the first non-option or `--`; everything
 * after is CMD and its arguments, verbatim. Never throws: problems come back as a message.
 */
import { basename } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { LOCKNAME_RULE, locknameProblem } from "../syntax/lockname.js";
import { DEFAULT_CONFIG_PATH } from "./config.js";

/** What the command line asks for. */
export type Invocation =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "run"; config: string; group?: string; lockname?: string; command: string[] };

const options = {
  config: { type: "string", short: "c" },
  group: { type: "string", short: "g" },
  lockname: { type: "string" },
  "no-lock": { type: "boolean" },
  lease: { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} satisfies ParseArgsConfig["options"];

/** Why `name` cannot be a lock name, as switchman says it; undefined when it can. */
export function locknameError(name: string): string | undefined {
  const problem = locknameProblem(name);
  return problem === undefined ? undefined : `lock name ${JSON.stringify(name)} is invalid: it ${problem} (${LOCKNAME_RULE})`;
}

/** Usage text for `--help`. */
export const USAGE = `Usage: switchman [-c|--config FILE] [-g|--group GROUP] [--lockname NAME] [--no-lock] -- CMD [ARGS...]

Runs CMD under a fleet-wide lock (ZooKeeper) or a host-local lock (flock), only on the
hosts of GROUP, and stops it when the lock or the group is lost.

  -c, --config FILE   configuration (default ${DEFAULT_CONFIG_PATH})
  -g, --group GROUP   run only on hosts of this group
      --lockname NAME lock name (default: the base name of CMD)
      --no-lock       run without the exclusive lock (group check only)
      --lease R=C:T   resource leases (not supported yet)
  -h, --help          show this help
  -v, --version       show the version

Exit status: CMD's exit code; 128+N if CMD died of signal N; 0 when skipped (not in the
group, lock held); 2 usage or configuration error; 75 ZooKeeper unreachable at start;
70 CMD stopped because the lock or the group was lost.
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
  if (values["no-lock"] && values.lockname !== undefined) return { error: "--lockname and --no-lock exclude each other" };
  if (values.group === "") return { error: "--group must not be empty" };
  if (values.config === "") return { error: "--config must not be empty" };
  const [program] = command;
  if (program === undefined || program === "") return { error: "no command given (usage: switchman [OPTIONS] -- CMD [ARGS...])" };

  const invocation: Invocation = { kind: "run", config: values.config ?? DEFAULT_CONFIG_PATH, command };
  if (values.group !== undefined) invocation.group = values.group;
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

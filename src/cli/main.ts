/**
 * `cronmeta` command line: parses arguments, hands them to a command module and
 * returns the exit code (0 success, 1 problems found, 2 usage/config error). Never exits.
 */
import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { UsageError } from "../errors.js";
import { closest } from "../jobs/keys.js";
import { DEFAULT_LINT_FORMAT, LINT_FORMATS, LINT_FORMATTERS, type LintFormat } from "../lint/formatters/index.js";
import { findProjectRoot, rootMarkers } from "../project-root.js";
import { defaultCacheLocation } from "../scan/cache.js";
import { VERSION } from "../version.js";
import type { Io } from "./io.js";
import type { CheckCommandOptions } from "./commands/check.js";
import type { ImportCommandOptions } from "./commands/import.js";
import type { GenOptions, LintOptions, ListOptions, ProjectOptions, ReportOptions } from "./options.js";

interface RawProjectOptions {
  root?: string;
  config?: string;
}

const NOT_A_PROJECT = "no cronmeta.config.json, package.json#cronmeta or debian/control";

/**
 * `--root` and `--config`, absolute (an absolute `--config` is kept as written). Without
 * `--root`, the root is the nearest directory at or above the current one that is a project
 * (project-root.ts), as git and ESLint find theirs; a directory that is not one is a usage
 * error, unless `--config` names the configuration.
 */
function projectOptions(raw: RawProjectOptions, io: Io): ProjectOptions {
  const configPath = raw.config === undefined || isAbsolute(raw.config) ? raw.config : resolve(io.cwd, raw.config);
  if (raw.root !== undefined) {
    const root = resolve(io.cwd, raw.root);
    let directory: boolean;
    try {
      directory = statSync(root).isDirectory();
    } catch (error) {
      throw new UsageError(`cannot read root ${root}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!directory) throw new UsageError(`root ${root} is not a directory`);
    if (configPath === undefined && rootMarkers(root).length === 0) {
      throw new UsageError(`${root} is not a cronmeta project (${NOT_A_PROJECT} in it): create cronmeta.config.json there, or pass the right --root`);
    }
    return { root, configPath };
  }
  const found = findProjectRoot(io.cwd);
  if (found !== undefined) return { root: found, configPath };
  if (configPath !== undefined) return { root: io.cwd, configPath };
  throw new UsageError(`${io.cwd} is not inside a cronmeta project (${NOT_A_PROJECT} here or above): pass --root DIR`);
}

interface OutputFlags {
  /** `--color` (true), `--no-color` (false), neither (undefined). */
  color?: boolean;
}

/** `--color` and `--no-color`, as in ESLint: they win over the TTY test and NO_COLOR. */
function withColourOptions(command: Command): Command {
  return command.option("--color", "colours even when not on a terminal").option("--no-color", "no colours, even on a terminal");
}

function applyColour(raw: OutputFlags, io: Io): void {
  if (raw.color !== undefined) io.colour = raw.color;
}

interface CacheFlags {
  cache: boolean;
  cacheLocation?: string;
}

/** The scan cache file of `--cache` and `--cache-location` (relative to the current directory, as in ESLint; ignored without --cache). */
function cacheLocation(raw: CacheFlags, root: string, io: Io): string | undefined {
  if (!raw.cache) return undefined;
  return raw.cacheLocation === undefined ? defaultCacheLocation(root) : resolve(io.cwd, raw.cacheLocation);
}

/** A path option made absolute against the current directory. */
function absolute(path: string | undefined, io: Io): string | undefined {
  return path === undefined ? undefined : resolve(io.cwd, path);
}

/** The `--format` help of `cronmeta lint`, from the formatter registry. */
function lintFormatsHelp(): string {
  const width = Math.max(...LINT_FORMATS.map((f) => f.length));
  return `\nFormats:\n${LINT_FORMATS.map((f) => `  ${f.padEnd(width)}  ${LINT_FORMATTERS[f].description}`).join("\n")}\n`;
}

function nonNegativeInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a whole number (0 or more)");
  return Number(value);
}

function withProjectOptions(command: Command): Command {
  return command
    .option("--root <dir>", "project root (default: the nearest directory at or above the current one with cronmeta.config.json, package.json#cronmeta or debian/control)")
    .option("--config <file>", "config file (default: cronmeta.config.json or package.json#cronmeta in the root)");
}

interface ReportFlags extends OutputFlags {
  format: LintFormat;
  quiet: boolean;
  outputFile?: string;
}

/** The options lint and check share with ESLint: format, errors only, output file. */
function withReportOptions(command: Command): Command {
  return command
    .addOption(new Option("-f, --format <format>", "output format (see Formats below)").choices(LINT_FORMATS).default(DEFAULT_LINT_FORMAT))
    .option("--quiet", "report errors only (warnings still count for --max-warnings)", false)
    .option("-o, --output-file <file>", "write the report to this file instead of standard output");
}

function reportOptions(raw: ReportFlags, io: Io): { format: LintFormat; quiet: boolean; outputFile?: string } {
  return { format: raw.format, quiet: raw.quiet, ...(raw.outputFile === undefined ? {} : { outputFile: resolve(io.cwd, raw.outputFile) }) };
}

/** `cronmeta monitor … --format nagios` (or `-f nagios`, `--format=nagios`): its usage errors are the plugin's UNKNOWN. */
function isNagiosMonitor(argv: readonly string[]): boolean {
  if (argv[0] !== "monitor") return false;
  return argv.some((a, i) => a === "--format=nagios" || a === "-fnagios" || ((a === "--format" || a === "-f") && argv[i + 1] === "nagios"));
}

/** Runs the cronmeta CLI with `argv` (arguments only, without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command("cronmeta");
  program
    .description("Turn the METADATA schedules inside scripts into fleet-safe Debian cron.d files.")
    .version(VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      "after",
      "\nExit codes: 0 success, 1 problems found (lint errors, gen refused, --check out of date),\n" +
        "2 usage or configuration error.\nDocumentation: README.md and docs/rules.md.",
    );

  withColourOptions(withReportOptions(withProjectOptions(program.command("lint").description("check every METADATA block; the CI step"))))
    .argument("[paths...]", "report only these files, directories or globs (the whole project is still checked)")
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", nonNegativeInteger)
    .addOption(new Option("--mode <mode>", "check for this gen mode (cron.d names, packaging)").choices(["source", "tree", "dir"]).default("source"))
    .option("--cache", "reuse the scan of every file unchanged since the last --cache run (same stat stamp, or same content hash), and the lint result while no METADATA, config, debian/ or mode changed", false)
    .option("--cache-location <file>", "scan cache file for --cache (default: node_modules/.cache/cronmeta/scan-cache.json in the root)")
    .option("--print-config", "print the configuration in effect (defaults filled in) as JSON and exit", false)
    .addHelpText("after", lintFormatsHelp())
    .action(async (paths: string[], raw: RawProjectOptions & CacheFlags & ReportFlags & { maxWarnings?: number; mode: LintOptions["mode"]; printConfig: boolean }) => {
      applyColour(raw, io);
      const project = projectOptions(raw, io);
      // Command modules load on demand: --help, --version and the other commands start faster.
      const { runLint } = await import("./commands/lint.js");
      // Without PATH arguments there is nothing to select (and fast-glob, which it needs, stays unloaded).
      const select = paths.length === 0 ? undefined : (await import("./path-selection.js")).pathSelection(paths, io.cwd, project.root);
      exitCode = await runLint(
        {
          ...project,
          ...reportOptions(raw, io),
          cacheLocation: cacheLocation(raw, project.root, io),
          maxWarnings: raw.maxWarnings ?? -1,
          mode: raw.mode,
          printConfig: raw.printConfig,
          ...(select === undefined ? {} : { select }),
        },
        io,
      );
    });

  withColourOptions(withProjectOptions(program.command("gen").description("lint, then write the cron.d files")))
    .addOption(new Option("--mode <mode>", "where files go: debian/<pkg>.cron.d, package build trees, or --out").choices(["source", "tree", "dir"]).default("source"))
    .option("--out <dir>", "output directory for --mode dir")
    .option("--check", "write nothing; exit 1 with a diff when a file would change", false)
    .option("--dry-run", "write nothing; print the files that would be written", false)
    .option("--cache", "reuse the scan of every file unchanged since the last --cache run (same stat stamp, or same content hash)", false)
    .option("--cache-location <file>", "scan cache file for --cache (default: node_modules/.cache/cronmeta/scan-cache.json in the root)")
    .action(async (raw: RawProjectOptions & CacheFlags & OutputFlags & { mode: GenOptions["mode"]; out?: string; check: boolean; dryRun: boolean }) => {
      applyColour(raw, io);
      if (raw.mode === "dir" && raw.out === undefined) throw new UsageError("--mode dir needs --out DIR");
      if (raw.mode !== "dir" && raw.out !== undefined) throw new UsageError("--out is only for --mode dir");
      const project = projectOptions(raw, io);
      const { runGen } = await import("./commands/gen.js");
      exitCode = await runGen(
        { ...project, cacheLocation: cacheLocation(raw, project.root, io), mode: raw.mode, out: absolute(raw.out, io), check: raw.check, dryRun: raw.dryRun },
        io,
      );
    });

  withColourOptions(withProjectOptions(program.command("list").description("show every job, its schedule in plain English and its next runs")))
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--next <n>", "show the next N run times", nonNegativeInteger, 0)
    .option("--tz <zone>", "time zone for --next (default: config timezone, else the machine's zone)")
    .option("--package <name>", "only jobs of this package")
    .option("--group <name>", "only jobs of this switchman group")
    .action(async (raw: RawProjectOptions & OutputFlags & Omit<ListOptions, keyof ProjectOptions>) => {
      applyColour(raw, io);
      const { runList } = await import("./commands/list.js");
      exitCode = await runList(
        { ...projectOptions(raw, io), format: raw.format, next: raw.next, tz: raw.tz, package: raw.package, group: raw.group },
        io,
      );
    });

  withProjectOptions(program.command("report").description("a week-long schedule report: load per hour and minute, busiest minutes"))
    .option("--html <file>", "write a self-contained HTML page")
    .addOption(new Option("-f, --format <format>", "html (with --html) or json on stdout").choices(["html", "json"]).default("html"))
    .option("--tz <zone>", "time zone of the report (default: config timezone, else the machine's zone)")
    .option("--records <path...>", "switchman journals (journal.jsonl) or state directories: p50/p95 run time, peak memory, overlaps")
    .action(async (raw: RawProjectOptions & { html?: string; format: ReportOptions["format"]; tz?: string; records?: string[] }) => {
      if (raw.format === "html" && raw.html === undefined) throw new UsageError("report needs --html FILE or --format json");
      const { runReport } = await import("./commands/report.js");
      const records = raw.records?.map((r) => resolve(io.cwd, r));
      exitCode = await runReport({ ...projectOptions(raw, io), format: raw.format, html: absolute(raw.html, io), tz: raw.tz, ...(records === undefined ? {} : { records }) }, io);
    });

  withColourOptions(withReportOptions(program.command("check")))
    .description("check existing cron.d files and crontabs as Debian's cron reads them (directories: their files)")
    .argument("<file...>", "cron.d files, /etc/crontab, user crontabs, or directories of them")
    .addOption(new Option("--type <type>", "cron.d (TIME USER COMMAND) or crontab (TIME COMMAND); default: from the path").choices(["cron.d", "crontab"]))
    .option("--installed", "apply cron's owner and mode checks as if the files were installed (/etc/cron.d, the crontab spool)", false)
    .option("--config <file>", "config file for rule severities (default: the project's, found upward from the current directory)")
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", nonNegativeInteger)
    .addHelpText("after", `${lintFormatsHelp()}\nThe type is cron.d for /etc/crontab, files in a directory named cron.d and *.cron.d files; crontab\nfor files in a directory named crontabs, files named crontab or *.crontab. Rules: docs/rules.md.\n`)
    .action(async (files: string[], raw: ReportFlags & { type?: CheckCommandOptions["type"]; installed: boolean; config?: string; maxWarnings?: number }) => {
      applyColour(raw, io);
      const { runCheck } = await import("./commands/check.js");
      exitCode = await runCheck(
        {
          files,
          installed: raw.installed,
          ...reportOptions(raw, io),
          maxWarnings: raw.maxWarnings ?? -1,
          ...(raw.type === undefined ? {} : { type: raw.type }),
          ...(raw.config === undefined ? {} : { configPath: resolve(io.cwd, raw.config) }),
        },
        io,
      );
    });

  withProjectOptions(program.command("import").description("print (or --write) the METADATA for the scripts that cron.d files and crontabs run"))
    .argument("<file...>", "cron.d files, /etc/crontab or user crontabs")
    .addOption(new Option("--type <type>", "cron.d (TIME USER COMMAND) or crontab (TIME COMMAND); default: from the path").choices(["cron.d", "crontab"]))
    .option("--package <name>", "the package of every job (default: cronmeta's marker, debian/PACKAGE.cron.d, config defaultPackage)")
    .option("--write", "insert the METADATA into the scripts (never into one that has METADATA already)", false)
    .action(async (files: string[], raw: RawProjectOptions & { type?: ImportCommandOptions["type"]; package?: string; write: boolean }) => {
      const project = projectOptions(raw, io);
      const { runImport } = await import("./commands/import.js");
      exitCode = await runImport(
        { ...project, files, write: raw.write, ...(raw.type === undefined ? {} : { type: raw.type }), ...(raw.package === undefined ? {} : { package: raw.package }) },
        io,
      );
    });

  program
    .command("monitor")
    .description("classify the recent runs of the installed jobs against their schedule (docs/monitor.md)")
    .argument("[manifest...]", "manifest files or directories (default: /usr/share/cronmeta/manifests)")
    .addOption(new Option("-f, --format <format>", "output").choices(["table", "json", "prometheus", "nagios"]).default("table"))
    .option("--switchman-config <file>", "switchman's config: ZooKeeper or local mode, groups", "/etc/switchman.conf")
    .option("--job <lockname...>", "only these jobs")
    .option("--package <name...>", "only the jobs of these packages")
    .option("--group <name...>", "only the jobs of these groups")
    .option("--window <seconds>", "how far back slots are counted", nonNegativeInteger, 86400)
    .option("--timeout <ms>", "give up on ZooKeeper after this long", nonNegativeInteger, 5000)
    .addHelpText(
      "after",
      "\nClasses: ok, pending, running, late, failed, skipped: still running, running too long, no eligible host, missed, never ran;\n" +
        "from the cron.d files' canary lines: cron stopped, file not run, other build, no canary.\n" +
        "Exit (--format nagios): 0 OK, 1 WARNING, 2 CRITICAL (also ZooKeeper or records unreadable), 3 UNKNOWN (bad manifest,\n" +
        "filter, record, switchman config or command line); other formats: 0 all ok, 1 not, 2 error. Alert rules: docs/monitor.md.\n",
    )
    .action(async (manifests: string[], raw: { format: "table" | "json" | "prometheus" | "nagios"; switchmanConfig: string; job?: string[]; package?: string[]; group?: string[]; window: number; timeout: number }) => {
      const { runMonitor } = await import("./commands/monitor.js");
      const filters = { ...(raw.job === undefined ? {} : { jobs: raw.job }), ...(raw.package === undefined ? {} : { packages: raw.package }), ...(raw.group === undefined ? {} : { groups: raw.group }) };
      exitCode = await runMonitor(
        { manifests: manifests.map((m) => resolve(io.cwd, m)), format: raw.format, switchmanConfig: resolve(io.cwd, raw.switchmanConfig), filters, windowS: raw.window, timeoutMs: raw.timeout },
        io,
      );
    });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    const first = argv[0] ?? "";
    // -V was the version flag before -v; ESLint users type -v.
    if (first === "-V" && argv.length === 1) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const names = program.commands.map((c) => c.name());
    // Not commander's general help with exit 0 (`cronmeta monitr --help`): a usage error with a guess.
    if (!first.startsWith("-") && first !== "help" && !names.includes(first)) {
      const guess = closest(first, names);
      throw new UsageError(`unknown command "${first}"${guess === undefined ? "" : ` (did you mean "${guess}"?)`}; the commands are ${names.join(", ")}`);
    }
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; commander already printed.
      if (error.exitCode === 0) return 0;
      // The plugin guidelines: a bad command line is UNKNOWN (3), on stdout in one line.
      if (isNagiosMonitor(argv)) {
        io.stdout(`CRONMETA UNKNOWN - ${error.message.replace(/^error: /, "").split("\n")[0] ?? "invalid arguments"}\n`);
        return 3;
      }
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`cronmeta: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * `cronmeta` command line: parses arguments, hands them to a command module and
 * returns the exit code (0 success, 1 problems found, 2 usage/config error). Never exits.
 */
import { isAbsolute, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { UsageError } from "../errors.js";
import { DEFAULT_LINT_FORMAT, LINT_FORMATS, LINT_FORMATTERS, type LintFormat } from "../lint/formatters/index.js";
import { findProjectRoot } from "../project-root.js";
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

/** `--root` and `--config`, absolute (an absolute `--config` is kept as written). */
function projectOptions(raw: RawProjectOptions, io: Io): ProjectOptions {
  const configPath = raw.config === undefined || isAbsolute(raw.config) ? raw.config : resolve(io.cwd, raw.config);
  return { root: resolve(io.cwd, raw.root ?? "."), configPath };
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
    .option("--root <dir>", "project root (default: the current directory)")
    .option("--config <file>", "config file (default: cronmeta.config.json or package.json#cronmeta in the root)");
}

/** Runs the cronmeta CLI with `argv` (arguments only, without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command("cronmeta");
  program
    .description("Turn the METADATA schedules inside scripts into fleet-safe Debian cron.d files.")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      "after",
      "\nExit codes: 0 success, 1 problems found (lint errors, gen refused, --check out of date),\n" +
        "2 usage or configuration error.\nDocumentation: README.md and docs/rules.md.",
    );

  withProjectOptions(program.command("lint").description("check every METADATA block; the CI step"))
    .addOption(new Option("--format <format>", "output format (see Formats below)").choices(LINT_FORMATS).default(DEFAULT_LINT_FORMAT))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", nonNegativeInteger)
    .addOption(new Option("--mode <mode>", "check for this gen mode (cron.d names, packaging)").choices(["source", "tree", "dir"]).default("source"))
    .option("--cache", "re-read only the files that changed since the last --cache run", false)
    .option("--cache-location <file>", "scan cache file for --cache (default: node_modules/.cache/cronmeta/scan-cache.json in the root)")
    .addHelpText("after", lintFormatsHelp())
    .action(async (raw: RawProjectOptions & CacheFlags & { format: LintFormat; maxWarnings?: number; mode: LintOptions["mode"] }) => {
      const project = projectOptions(raw, io);
      // Command modules load on demand: --help, --version and the other commands start faster.
      const { runLint } = await import("./commands/lint.js");
      exitCode = await runLint(
        { ...project, cacheLocation: cacheLocation(raw, project.root, io), format: raw.format, maxWarnings: raw.maxWarnings ?? -1, mode: raw.mode },
        io,
      );
    });

  withProjectOptions(program.command("gen").description("lint, then write the cron.d files"))
    .addOption(new Option("--mode <mode>", "where files go: debian/<pkg>.cron.d, package build trees, or --out").choices(["source", "tree", "dir"]).default("source"))
    .option("--out <dir>", "output directory for --mode dir")
    .option("--check", "write nothing; exit 1 with a diff when a file would change", false)
    .option("--dry-run", "write nothing; print the files that would be written", false)
    .option("--cache", "re-read only the files that changed since the last --cache run", false)
    .option("--cache-location <file>", "scan cache file for --cache (default: node_modules/.cache/cronmeta/scan-cache.json in the root)")
    .action(async (raw: RawProjectOptions & CacheFlags & { mode: GenOptions["mode"]; out?: string; check: boolean; dryRun: boolean }) => {
      if (raw.mode === "dir" && raw.out === undefined) throw new UsageError("--mode dir needs --out DIR");
      if (raw.mode !== "dir" && raw.out !== undefined) throw new UsageError("--out is only for --mode dir");
      const project = projectOptions(raw, io);
      const { runGen } = await import("./commands/gen.js");
      exitCode = await runGen(
        { ...project, cacheLocation: cacheLocation(raw, project.root, io), mode: raw.mode, out: absolute(raw.out, io), check: raw.check, dryRun: raw.dryRun },
        io,
      );
    });

  withProjectOptions(program.command("list").description("show every job, its schedule in plain English and its next runs"))
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--next <n>", "show the next N run times", nonNegativeInteger, 0)
    .option("--tz <zone>", "time zone for --next (default: the machine's zone)")
    .option("--package <name>", "only jobs of this package")
    .option("--group <name>", "only jobs of this switchman group")
    .action(async (raw: RawProjectOptions & Omit<ListOptions, keyof ProjectOptions>) => {
      const { runList } = await import("./commands/list.js");
      exitCode = await runList(
        { ...projectOptions(raw, io), format: raw.format, next: raw.next, tz: raw.tz, package: raw.package, group: raw.group },
        io,
      );
    });

  withProjectOptions(program.command("report").description("a week-long schedule report: load per hour and minute, busiest minutes"))
    .option("--html <file>", "write a self-contained HTML page")
    .addOption(new Option("--format <format>", "html (with --html) or json on stdout").choices(["html", "json"]).default("html"))
    .option("--tz <zone>", "time zone of the report (default: the machine's zone)")
    .action(async (raw: RawProjectOptions & { html?: string; format: ReportOptions["format"]; tz?: string }) => {
      if (raw.format === "html" && raw.html === undefined) throw new UsageError("report needs --html FILE or --format json");
      const { runReport } = await import("./commands/report.js");
      exitCode = await runReport({ ...projectOptions(raw, io), format: raw.format, html: absolute(raw.html, io), tz: raw.tz }, io);
    });

  program
    .command("check")
    .description("check existing cron.d files and crontabs as Debian's cron reads them (directories: their files)")
    .argument("<file...>", "cron.d files, /etc/crontab, user crontabs, or directories of them")
    .addOption(new Option("--type <type>", "cron.d (TIME USER COMMAND) or crontab (TIME COMMAND); default: from the path").choices(["cron.d", "crontab"]))
    .option("--installed", "apply cron's owner and mode checks as if the files were installed (/etc/cron.d, the crontab spool)", false)
    .option("--config <file>", "config file for rule severities (default: the project's, found upward from the current directory)")
    .addOption(new Option("--format <format>", "output format (see Formats below)").choices(LINT_FORMATS).default(DEFAULT_LINT_FORMAT))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", nonNegativeInteger)
    .addHelpText("after", `${lintFormatsHelp()}\nThe type is cron.d for /etc/crontab, files in a directory named cron.d and *.cron.d files; crontab\nfor files in a directory named crontabs, files named crontab or *.crontab. Rules: docs/rules.md.\n`)
    .action(async (files: string[], raw: { type?: CheckCommandOptions["type"]; installed: boolean; config?: string; format: LintFormat; maxWarnings?: number }) => {
      const { runCheck } = await import("./commands/check.js");
      exitCode = await runCheck(
        { files, installed: raw.installed, format: raw.format, maxWarnings: raw.maxWarnings ?? -1, ...(raw.type === undefined ? {} : { type: raw.type }), ...(raw.config === undefined ? {} : { configPath: resolve(io.cwd, raw.config) }) },
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
      if (raw.root === undefined) {
        const found = findProjectRoot(io.cwd);
        if (found === undefined) throw new UsageError(`${io.cwd} is not inside a cronmeta project (no cronmeta.config.json, package.json#cronmeta or debian/control here or above): pass --root DIR`);
        project.root = found;
      }
      const { runImport } = await import("./commands/import.js");
      exitCode = await runImport(
        { ...project, files, write: raw.write, ...(raw.type === undefined ? {} : { type: raw.type }), ...(raw.package === undefined ? {} : { package: raw.package }) },
        io,
      );
    });

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; commander already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`cronmeta: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

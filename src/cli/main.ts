/**
 * `cronmeta` command line: parses arguments, hands them to a command module and
 * returns the exit code (0 success, 1 problems found, 2 usage/config error). Never exits.
 */
import { isAbsolute, resolve } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { UsageError } from "../errors.js";
import { defaultCacheLocation } from "../scan/cache.js";
import { VERSION } from "../version.js";
import type { Io } from "./io.js";
import type { GenOptions, LintOptions, ListOptions, ProjectOptions, ReportOptions } from "./options.js";

interface RawProjectOptions {
  root?: string;
  config?: string;
}

function projectOptions(raw: RawProjectOptions, io: Io): ProjectOptions {
  const root = resolve(io.cwd, raw.root ?? ".");
  const options: ProjectOptions = { root };
  if (raw.config !== undefined) options.config = isAbsolute(raw.config) ? raw.config : resolve(io.cwd, raw.config);
  return options;
}

interface CacheFlags {
  cache: boolean;
  cacheLocation?: string;
}

/** `--cache` and `--cache-location` (relative to the current directory, as in ESLint; ignored without --cache). */
function cacheOption(raw: CacheFlags, root: string, io: Io): { cacheLocation?: string } {
  if (!raw.cache) return {};
  return { cacheLocation: raw.cacheLocation === undefined ? defaultCacheLocation(root) : resolve(io.cwd, raw.cacheLocation) };
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
    .addOption(new Option("--format <format>", "output format").choices(["stylish", "json", "github", "sarif"]).default("stylish"))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this", nonNegativeInteger)
    .addOption(new Option("--mode <mode>", "check for this gen mode (cron.d names, packaging)").choices(["source", "tree", "dir"]).default("source"))
    .option("--cache", "re-read only the files that changed since the last --cache run", false)
    .option("--cache-location <file>", "scan cache file for --cache (default: node_modules/.cache/cronmeta/scan-cache.json in the root)")
    .action(async (raw: RawProjectOptions & CacheFlags & { format: LintOptions["format"]; maxWarnings?: number; mode: LintOptions["mode"] }) => {
      const project = projectOptions(raw, io);
      // Command modules load on demand: --help, --version and the other commands start faster.
      const { runLint } = await import("./commands/lint.js");
      exitCode = await runLint({ ...project, ...cacheOption(raw, project.root, io), format: raw.format, maxWarnings: raw.maxWarnings ?? -1, mode: raw.mode }, io);
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
      const options: GenOptions = { ...project, ...cacheOption(raw, project.root, io), mode: raw.mode, check: raw.check, dryRun: raw.dryRun };
      if (raw.out !== undefined) options.out = resolve(io.cwd, raw.out);
      const { runGen } = await import("./commands/gen.js");
      exitCode = await runGen(options, io);
    });

  withProjectOptions(program.command("list").description("show every job, its schedule in plain English and its next runs"))
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--next <n>", "show the next N run times", nonNegativeInteger, 0)
    .option("--tz <zone>", "time zone for --next (default: the machine's zone)")
    .option("--package <name>", "only jobs of this package")
    .option("--group <name>", "only jobs of this switchman group")
    .action(async (raw: RawProjectOptions & Omit<ListOptions, keyof ProjectOptions>) => {
      const { runList } = await import("./commands/list.js");
      exitCode = await runList({ ...raw, ...projectOptions(raw, io) }, io);
    });

  withProjectOptions(program.command("report").description("a week-long schedule report: load per hour and minute, busiest minutes"))
    .option("--html <file>", "write a self-contained HTML page")
    .addOption(new Option("--format <format>", "html (with --html) or json on stdout").choices(["html", "json"]).default("html"))
    .option("--tz <zone>", "time zone of the report (default: the machine's zone)")
    .action(async (raw: RawProjectOptions & { html?: string; format: ReportOptions["format"]; tz?: string }) => {
      if (raw.format === "html" && raw.html === undefined) throw new UsageError("report needs --html FILE or --format json");
      const options: ReportOptions = { ...projectOptions(raw, io), format: raw.format };
      if (raw.html !== undefined) options.html = resolve(io.cwd, raw.html);
      if (raw.tz !== undefined) options.tz = raw.tz;
      const { runReport } = await import("./commands/report.js");
      exitCode = await runReport(options, io);
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

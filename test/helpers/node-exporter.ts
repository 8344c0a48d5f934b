/**
 * Debian's real Prometheus tools for tests: `prometheus-node-exporter` serving only its textfile
 * collector from a test's directory on a random loopback port (always stopped: it runs under
 * `setpriv --pdeathsig KILL`, and an exit handler kills what is left), a scraper with a parser
 * for the text format, and `promtool check metrics` from Debian's `prometheus` package.
 * A missing tool fails the test with the package to install.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync } from "node:fs";
import { join } from "node:path";
import { testOutputDir } from "./paths.js";
import { freePorts } from "./zookeeper.js";

const NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
const PROMTOOL = "/usr/bin/promtool";

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // gone
    }
  }
});

/** Fails with the Debian package to install when node_exporter is missing. */
export function requireNodeExporter(): void {
  if (!existsSync(NODE_EXPORTER)) {
    throw new Error(`${NODE_EXPORTER} is missing: install Debian package prometheus-node-exporter (apt-get install prometheus-node-exporter)`);
  }
}

/** Fails with the Debian package to install when promtool is missing. */
export function requirePromtool(): void {
  if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} is missing: install Debian package prometheus (apt-get install prometheus)`);
}

/** `promtool check metrics` on `text` (its stdin): the exit status and what it said. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  requirePromtool();
  const result = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8", timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** One sample of a scrape. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the sample lines of a text-format scrape (comments skipped). */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] as string] = (pair[2] as string).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** A running node_exporter. */
export class NodeExporter {
  private constructor(
    private readonly child: ChildProcess,
    /** `http://127.0.0.1:PORT/metrics`. */
    readonly url: string,
  ) {}

  /** Starts node_exporter with only the textfile collector, reading `textfileDir`, and waits until it answers. */
  static async start(textfileDir: string): Promise<NodeExporter> {
    requireNodeExporter();
    const [port] = await freePorts(1);
    mkdirSync(join(testOutputDir, "node-exporter"), { recursive: true });
    const log = openSync(join(testOutputDir, "node-exporter", `node-exporter-${port}.log`), "w");
    const child = spawn(
      "setpriv",
      [
        "--pdeathsig",
        "KILL",
        "--",
        NODE_EXPORTER,
        "--collector.disable-defaults",
        "--collector.textfile",
        `--collector.textfile.directory=${textfileDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ["ignore", log, log] },
    );
    closeSync(log);
    live.add(child);
    child.once("exit", () => live.delete(child));
    const exporter = new NodeExporter(child, `http://127.0.0.1:${port}/metrics`);
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await exporter.scrape();
        return exporter;
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline) {
          await exporter.stop();
          throw new Error(`node_exporter did not serve ${exporter.url}: ${(error as Error).message} (log in test-output/node-exporter/)`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** One scrape of /metrics, as text. */
  async scrape(): Promise<string> {
    const response = await fetch(this.url);
    if (!response.ok) throw new Error(`GET ${this.url}: ${response.status}`);
    return response.text();
  }

  /** Kills node_exporter and waits for it. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await gone;
  }
}

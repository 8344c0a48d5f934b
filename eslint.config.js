// Lint of cronmeta's own code: typescript-eslint's recommended rules plus the
// layering rules from docs/ARCHITECTURE.md (nothing below the CLI exits or prints; only the I/O modules do I/O).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The modules that do I/O (files, processes, network, threads); every other module under src/ is
// pure and may not import an I/O module (docs/ARCHITECTURE.md, "Which modules do I/O"). A new
// I/O module goes here and into that list.
const ioModules = [
  "src/cli/**",
  "src/project.ts",
  "src/monitor/manifests.ts", // reads the manifests (cronmeta monitor)
  "src/monitor/records.ts", // reads the run records: ZooKeeper or the state directory
  "src/project-root.ts",
  "src/version.ts",
  "src/config/load.ts",
  "src/debian/read.ts",
  "src/scan/tree.ts",
  "src/scan/scan-file.ts",
  "src/scan/file-reader.ts",
  "src/scan/cache.ts",
  "src/scan/scan-pool.ts",
  "src/scan/scan-worker.ts",
  "src/generate/templates.ts",
  "src/generate/plan.ts",
  "src/generate/confine.ts",
  "src/generate/write.ts",
  "src/generate/atomic-write.ts", // the one atomic file replacement (write.ts, import, report files)
  "src/list/report-template.ts",
  "src/list/records-read.ts", // reads switchman's journals (report --records)
  "src/check/check.ts",
  "src/import/import.ts",
  "src/switchman/cli.ts",
  "src/switchman/config.ts",
  "src/switchman/hostname.ts",
  "src/switchman/job-user.ts",
  "src/switchman/log.ts",
  "src/switchman/procfs.ts",
  "src/switchman/supervisor.ts",
  "src/switchman/guard-process.ts",
  "src/switchman/local/**",
  "src/switchman/zookeeper/**",
  "src/switchman/records/fs.ts",
  "src/switchman/records/state-dir.ts",
  "src/switchman/records/host-state.ts",
  "src/switchman/records/journal.ts",
  "src/switchman/records/textfile-write.ts",
  "src/switchman/records/status-read.ts",
  "src/switchman/records/zk-store.ts",
  "src/switchman/canary.ts", // the canary: its file, the minute's claim, the host's znode
];
const ioMessage = "I/O belongs in the modules docs/ARCHITECTURE.md lists (ioModules in eslint.config.js): take data as arguments and return data.";
const ioImports = [
  ...["fs", "fs/promises", "child_process", "worker_threads", "dgram", "dns", "http", "https", "http2", "tls", "readline", "cluster"].flatMap((name) => [name, `node:${name}`]),
  "fast-glob", // walks the file system
  "node-zookeeper-client", // talks to ZooKeeper
];

/** What the pure modules may not import (types only are fine). */
const pureImportPaths = [
  ...ioImports.map((name) => ({ name, message: ioMessage, allowTypeImports: true })),
  // isIP and friends only parse text.
  ...["net", "node:net"].map((name) => ({ name, message: ioMessage, allowTypeImports: true, allowImportNames: ["isIP", "isIPv4", "isIPv6"] })),
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "examples/**", "test/fixtures/**", "debian/**", "bench/out/**", "test-output/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      // Matching control characters on purpose is how metadata is kept off cron lines.
      "no-control-regex": "off",
    },
  },
  {
    // Library layers: only src/cli and src/switchman/cli.ts may exit the process or print.
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**", "src/switchman/cli.ts"],
    rules: {
      "no-restricted-properties": ["error",
        { object: "process", property: "exit", message: "Only the CLI exits: return a result instead." }],
      "no-console": "error",
    },
  },
  {
    // Pure modules: no file system, processes, network or threads (types only are fine).
    files: ["src/**/*.ts"],
    ignores: ioModules,
    rules: {
      "no-restricted-imports": ["error", { paths: pureImportPaths }],
      "no-restricted-syntax": ["error", {
        // Dynamic import() of the same modules (esquery's regex cannot hold a "/": "." stands for it).
        selector: "ImportExpression[source.value=/^(node:)?(fs(.promises)?|child_process|worker_threads|net|dgram|dns|https?|http2|tls|readline|cluster)$|^(fast-glob|node-zookeeper-client)$/]",
        message: ioMessage,
      }],
    },
  },
  {
    // The shared name syntaxes are read on switchman's skip path, which must not pay for zod:
    // schemas wrap them, never the other way round.
    files: ["src/syntax/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: [...pureImportPaths, { name: "zod", message: "src/syntax is zod-free: export a predicate and its message, and let the schemas wrap them." }],
      }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    // switchman's executable (scripts/switchman-loader.cjs) is CommonJS on purpose (issue 14).
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { process: "readonly", require: "readonly", module: "writable", __dirname: "readonly", Buffer: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

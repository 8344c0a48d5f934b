#!/usr/bin/node
// Lays out what one binary package runs, from the compiled tree and the installed
// node_modules, offline (the package build downloads nothing and never writes to the
// developer's node_modules):
//
//   node debian/bundle.mjs switchman BUILD DEST   switchman's bundle, exactly as `npm run build` makes it
//   node debian/bundle.mjs cronmeta  BUILD DEST   the build tool: everything but switchman's own modules
//
// BUILD is the build's output (tsc with tsconfig.build.json, then scripts/postbuild.mjs). DEST gets
// dist/ (the modules), for cronmeta node_modules/ (the npm packages its modules import, with
// their dependencies as package-lock.json resolves them), and a package.json that makes dist/*.js
// ES modules and carries the version.
//
// switchman is one bundle (scripts/postbuild.mjs, issue 14): the executable dist/switchman/cli.cjs,
// the bundle it runs (bundle.cjs), V8's code cache of it (bundle.cjs.cache) and the notices of
// the npm packages inside, as listed in dist/switchman/bundle-files.json. It requires nothing
// but node's own modules, which is checked here; so it needs no node_modules. The build tool keeps every other module, since its scan worker is loaded by URL
// rather than import, and every production dependency, since it loads @babel/parser through
// createRequire on first use.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, dirname, join, posix, relative } from "node:path";

const [kind, build, dest] = process.argv.slice(2);
if (!["switchman", "cronmeta"].includes(kind ?? "") || !build || !dest) {
  console.error("usage: bundle.mjs switchman|cronmeta BUILD DEST");
  process.exit(2);
}

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pkg = JSON.parse(readFileSync("package.json", "utf8"));

/** Every .js file under `dir`, relative to it, with `/`. */
function jsFiles(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...jsFiles(dir, rel));
    else if (entry.name.endsWith(".js")) out.push(rel);
  }
  return out;
}

/**
 * The specifiers a compiled module imports: tsc output (one statement per import) and esbuild's
 * bundles (dist/cli/, minified: `import{a}from"./chunk-X.js"`, `import"./x.js"`), literal specifiers.
 */
function specifiers(file) {
  const text = readFileSync(join(build, file), "utf8");
  const found = new Set();
  const forms = /^\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)|\)\(\s*"([^".][^"]*)"\s*\)|[}\s;]from\s*"(\.[^"]+)"|[;\n]import\s*"(\.[^"]+)"/gm;
  for (const match of text.matchAll(forms)) found.add(match.slice(1).find((m) => m !== undefined));
  return [...found];
}

/** The npm package name of a bare specifier (`zod`, `@babel/parser`, `a/lib/x.js` -> `a`). */
const packageOf = (spec) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);

/** Modules reachable from `entries` by relative imports, and the bare specifiers they use. */
function closure(entries) {
  const modules = new Set();
  const bare = new Set();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop();
    if (modules.has(file)) continue;
    if (!existsSync(join(build, file))) throw new Error(`bundle: ${file} is imported but was not built`);
    modules.add(file);
    for (const spec of specifiers(file)) {
      if (spec.startsWith("node:")) continue;
      if (spec.startsWith(".")) queue.push(posix.normalize(posix.join(posix.dirname(file), spec)));
      else bare.add(packageOf(spec));
    }
  }
  return { modules, bare };
}

/** switchman's bundle files, relative to BUILD; fails unless they import only node's modules and each other. */
function switchmanBundle() {
  const list = join(build, "switchman", "bundle-files.json");
  if (!existsSync(list)) throw new Error(`bundle: ${list} is missing: run scripts/postbuild.mjs on ${build} first`);
  const files = JSON.parse(readFileSync(list, "utf8")).map((f) => `switchman/${f}`);
  for (const file of files.filter((f) => /\.c?js$/.test(f))) {
    const text = readFileSync(join(build, file), "utf8");
    // Minified: `from"x"`, `import("x")`, `require("x")`.
    for (const match of text.matchAll(/\bfrom\s*"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)|\brequire\(\s*"([^"]+)"\s*\)/g)) {
      const spec = match[1] ?? match[2] ?? match[3];
      const builtin = spec.startsWith("node:") || builtinModules.includes(spec);
      const sibling = spec.startsWith(".") && files.includes(posix.normalize(posix.join(posix.dirname(file), spec)));
      if (!builtin && !sibling) throw new Error(`bundle: ${file} imports ${spec}, which is neither node's nor in the bundle`);
    }
  }
  return new Set(files);
}

const all = jsFiles(build);
// The scan worker (dist/cli/scan-worker.js) is started by URL, not imported: every module is an entry.
const tool = closure(all.filter((f) => !f.startsWith("switchman/")));
// The executable dist/cli/cronmeta.cjs, the bundle it runs and its code cache (scripts/postbuild.mjs).
for (const f of JSON.parse(readFileSync(join(build, "cli", "bundle-files.json"), "utf8"))) tool.modules.add(`cli/${f}`);
// tsx is a development dependency that only the from-sources path of the scan pool loads.
tool.bare.delete("tsx");
const modules = kind === "switchman" ? switchmanBundle() : tool.modules;
// cronmeta's own dependencies (package.json); switchman's are inside its bundle.
const bare = kind === "switchman" ? new Set() : new Set(Object.keys(pkg.dependencies ?? {}));

/**
 * The package-lock.json path of `name` as node would resolve it from package path `from`
 * (nested node_modules first, then each parent's, then the top level).
 */
function resolvePackage(name, from) {
  let base = from;
  for (;;) {
    const candidate = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (base === "") return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
}

/** Lock paths of the packages `names` need, with their dependencies, transitively. */
function packageClosure(names) {
  const paths = new Set();
  const queue = names.map((name) => {
    const path = resolvePackage(name, "");
    if (path === undefined) throw new Error(`bundle: ${name} is imported but not in package-lock.json`);
    return path;
  });
  while (queue.length > 0) {
    const path = queue.pop();
    if (paths.has(path)) continue;
    const meta = lock.packages[path];
    if (meta.dev === true) throw new Error(`bundle: ${path} is imported at run time but is a devDependency`);
    paths.add(path);
    for (const dep of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) {
      const resolved = resolvePackage(dep, path);
      if (resolved !== undefined && existsSync(resolved)) queue.push(resolved);
      else if (meta.optionalDependencies?.[dep] === undefined) throw new Error(`bundle: ${dep} (needed by ${path}) is not installed: run npm ci first`);
    }
  }
  return [...paths].sort();
}

// Left out of npm packages: what only their developers need (TypeScript sources and declarations,
// source maps (of JavaScript and of declarations), linter configs that lintian flags as package-contains-eslint-config-file,
// markdown); LICENSE files stay, as the licenses require.
const SKIP = /(?:^\.bin|^\.package-lock\.json|\.[cm]?ts|\.map|^\.eslintrc(?:\.\w+)?|\.md)$/i;
const keep = (src) => /^licen[cs]e/i.test(basename(src)) || !SKIP.test(basename(src));

for (const file of [...modules].sort()) {
  mkdirSync(dirname(join(dest, "dist", file)), { recursive: true });
  cpSync(join(build, file), join(dest, "dist", file));
}
const packages = packageClosure([...bare].sort());
for (const path of packages) {
  // A nested package is copied with its parent already.
  if (packages.some((p) => p !== path && path.startsWith(`${p}/`))) continue;
  cpSync(path, join(dest, path), { recursive: true, dereference: false, filter: keep });
}
// dist/version.js reads the version from the package.json above dist/; "type" makes *.js ESM.
writeFileSync(
  join(dest, "package.json"),
  `${JSON.stringify({ name: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license, type: "module", private: true }, null, 2)}\n`,
);
console.log(
  `bundle ${kind}: ${modules.size} files, ${packages.length} npm packages (${packages.map((p) => relative("node_modules", p)).join(", ")}) in ${dest}`,
);

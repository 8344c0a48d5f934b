// Lint of cronmeta's own code: typescript-eslint's recommended rules plus the
// layering rules from docs/ARCHITECTURE.md (nothing below the CLI exits or prints).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);

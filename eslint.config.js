// Lint for the whole tree: typescript-eslint's recommended rules, Prettier owns the layout, and the
// layering rule that keeps the domain pure (no Colyseus, no database, no HTTP in server/src/domain).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "client/dist/",
      "client/dist-test/",
      "data/",
      "test-artifacts/",
      "loadtest/reports/",
      "sdk/dist/",
      "server/dist/",
      "server/src/persistence/migrations/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      // tsc checks unused names (noUnusedLocals); a second opinion only adds noise.
      "@typescript-eslint/no-unused-vars": "off",
      "no-undef": "off",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
      "no-console": ["error", { allow: ["error", "warn"] }],
    },
  },
  {
    files: ["server/src/domain/**/*.ts", "shared/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@colyseus/core", "@colyseus/ws-transport", "@colyseus/redis-*"],
              message: "Pure code does not know Colyseus rooms.",
            },
            {
              group: ["drizzle-orm", "drizzle-orm/*", "pg", "@electric-sql/*", "**/persistence/*"],
              message: "Pure code does not touch the database.",
            },
            { group: ["express", "node:*"], message: "Pure code has no I/O (shared/ also runs in browsers)." },
            { group: ["**/shared/src/*"], message: "Import shared code by name: @tavern/shared/..." },
          ],
        },
      ],
    },
  },
  {
    files: ["server/**/*.ts", "client/**/*.ts", "client/**/*.tsx", "loadtest/**/*.ts", "scripts/**/*.ts"],
    ignores: ["server/src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/shared/src/*"], message: "Import shared code by name: @tavern/shared/..." }] },
      ],
    },
  },
  {
    // The game SDK is published on its own: it mirrors Tavern's types and imports none of its code.
    files: ["sdk/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@tavern/shared", "@tavern/shared/*", "**/shared/**", "**/server/**", "**/client/**"],
              message: "The SDK depends on nothing of Tavern's.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["loadtest/**/*.ts", "scripts/**/*.ts", "client/test/**/*.ts", "server/test/**/*.ts", "sdk/examples/**/*.ts"],
    rules: { "no-console": "off" },
  },
);

import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./server/src/persistence/schema.ts",
  out: "./server/src/persistence/migrations",
});

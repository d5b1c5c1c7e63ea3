import assert from "node:assert/strict";
import { parseStartScript, startCommand } from "../startCommand";

describe("the start command the load scripts copy", () => {
  it("splits Node's flags from the entry", () => {
    assert.deepEqual(parseStartScript("node --max-semi-space-size=1 --no-warnings server/dist/main.mjs"), {
      nodeArgs: ["--max-semi-space-size=1", "--no-warnings"],
      entry: "server/dist/main.mjs",
    });
    assert.deepEqual(parseStartScript("  node main.mjs "), { nodeArgs: [], entry: "main.mjs" });
  });

  it("refuses what it could not copy faithfully", () => {
    for (const script of [
      "",
      "node",
      "tsx main.ts",
      "node --flag",
      "node main.mjs --port 1",
      "A=1 node main.mjs",
      "node --x main.mjs && echo",
    ]) {
      assert.throws(() => parseStartScript(script), /start script/, script);
    }
  });

  it("reads package.json's start script, which runs the bundle built before it", () => {
    const command = startCommand();
    assert.equal(command.entry, "server/dist/main.mjs");
    assert.ok(command.nodeArgs.includes("--max-semi-space-size=8"), "the young generation is kept small (README, memory)");
    assert.ok(command.nodeArgs.includes("--expose-gc"), "the idle memory release needs V8's gc function");
  });
});

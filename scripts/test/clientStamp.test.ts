import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readStamp, sourceStamp, writeStamp } from "../clientStamp";

describe("the client build's stamp", () => {
  let root: string;
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "tavern-stamp-"));
    write("client/index.html", "<!doctype html>");
    write("client/src/main.ts", "console.log(1);");
    write("client/src/ui/App.tsx", "export {};");
    write("client/vite.config.ts", "export default {};");
    write("shared/src/state.ts", "export const a = 1;");
    write("package-lock.json", "{}");
    write("server/src/main.ts", "server code");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is the same for the same sources, and not once a source, the config or the lock file changes", () => {
    const stamp = sourceStamp(root, {});
    assert.match(stamp, /^[0-9a-f]{64}$/);
    assert.equal(sourceStamp(root, {}), stamp, "same sources, same stamp");

    for (const [path, content] of [
      ["client/src/ui/App.tsx", "export const changed = 1;"],
      ["shared/src/state.ts", "export const a = 2;"],
      ["client/vite.config.ts", "export default { base: '/x/' };"],
      ["package-lock.json", '{"lockfileVersion":3}'],
      ["client/index.html", "<!doctype html><title>x</title>"],
    ] as const) {
      const before = sourceStamp(root, {});
      write(path, content);
      assert.notEqual(sourceStamp(root, {}), before, `${path} changed`);
    }
  });

  it("changes when a source is added or renamed, and with the VITE_ variables; not with the server's code or other variables", () => {
    const stamp = sourceStamp(root, { PORT: "2567" });
    write("client/public/robots.txt", "User-agent: *");
    const added = sourceStamp(root, {});
    assert.notEqual(added, stamp, "a new file");
    renameSync(join(root, "client/public/robots.txt"), join(root, "client/public/humans.txt"));
    assert.notEqual(sourceStamp(root, {}), added, "a renamed file");

    const base = sourceStamp(root, {});
    assert.notEqual(sourceStamp(root, { VITE_TAVERN_URL: "http://game.example" }), base, "VITE_TAVERN_URL is compiled in");
    assert.equal(sourceStamp(root, { PORT: "9999", HOME: "/elsewhere" }), base, "other variables are not the build's");
    write("server/src/main.ts", "other server code");
    assert.equal(sourceStamp(root, {}), base, "the server is not an input of the client build");
  });

  it("is read back from the output folder, and is missing until a build wrote it", () => {
    const outDir = join(root, "client/dist");
    assert.equal(readStamp(outDir), undefined, "a fresh clone: no build, no stamp");
    mkdirSync(outDir, { recursive: true });
    assert.equal(readStamp(outDir), undefined, "an output folder without a stamp (a build that failed or a manual build)");
    const stamp = sourceStamp(root, {});
    writeStamp(outDir, stamp);
    assert.equal(readStamp(outDir), stamp);
    assert.equal(sourceStamp(root, {}), stamp, "the stamp in the output folder is not an input");
  });
});

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { canonicalDoc } from "@tavern/shared/table/hash";
import { sessionExportSchema } from "@tavern/shared/table/sessionExport";
import { exportDigest } from "../../src/rooms/table/exportDigest";
import { buildExport } from "../support/exportFile";

/** A file as the import reads it: JSON text parsed and checked. */
function parsed(text: string) {
  const result = sessionExportSchema.safeParse(JSON.parse(text));
  if (!result.success) throw result.error;
  return result.data;
}

function digestOf(file: ReturnType<typeof parsed>): { digest: string; steps: number } {
  const steps = exportDigest(file);
  let count = 0;
  for (let step = steps.next(); ; step = steps.next(), count++) if (step.done) return { digest: step.value, steps: count };
}

describe("export digest", () => {
  const original = buildExport({ entities: 40, updates: 5, tag: "digest" });
  original.journal = [{ kind: "chat", playerId: "p1", name: "Aria", text: "hello", at: 1 }];
  const text = JSON.stringify(original);

  it("is the SHA-256 of the file's canonical JSON without exportedAt, written one entity, update or journal entry per step", () => {
    const file = parsed(text);
    const { digest, steps } = digestOf(file);
    const expected = createHash("sha256")
      .update(canonicalDoc({ ...file, exportedAt: undefined }))
      .digest("hex");
    assert.equal(digest, expected);
    assert.ok(steps >= 40 + 5 + 1, `${steps} steps`);
  });

  it("is the same for the file posted again, reformatted, or exported again later; another for any change of content", () => {
    const { digest } = digestOf(parsed(text));
    assert.equal(digestOf(parsed(text)).digest, digest);
    assert.equal(digestOf(parsed(JSON.stringify(JSON.parse(text), null, 2))).digest, digest, "whitespace");
    const reordered = JSON.parse(text);
    const { format, ...rest } = reordered;
    assert.equal(digestOf(parsed(JSON.stringify({ ...rest, format }))).digest, digest, "key order");
    assert.equal(digestOf(parsed(JSON.stringify({ ...original, exportedAt: "2030-01-01T00:00:00.000Z" }))).digest, digest, "exportedAt");

    const changed = (edit: (file: typeof original) => void) => {
      const copy = structuredClone(original);
      edit(copy);
      return digestOf(parsed(JSON.stringify(copy))).digest;
    };
    assert.notEqual(
      changed((f) => (f.snapshot.doc.title = "Other")),
      digest,
    );
    assert.notEqual(
      changed((f) => (f.updates[0]!.at += 1)),
      digest,
    );
    assert.notEqual(
      changed((f) => (f.journal![0]!.at += 1)),
      digest,
    );
    assert.notEqual(
      changed((f) => (f.room = { kicked: ["p2"] })),
      digest,
    );
    assert.notEqual(
      changed((f) => (f.session.id = "another")),
      digest,
    );
  });
});

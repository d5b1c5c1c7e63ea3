import assert from "node:assert/strict";
import { visibilityProblems, type ExpectedPlayer } from "../visibility";

const expected: ExpectedPlayer[] = [
  { name: "storm-000", id: "a" },
  { name: "storm-001", id: "b" },
  { name: "storm-002", id: "c" },
];
const everyone = [
  { id: "a", name: "storm-000" },
  { id: "b", name: "storm-001" },
  { id: "c", name: "storm-002" },
];

describe("storm visibility check", () => {
  it("accepts exactly the storm's players, in any order", () => {
    assert.deepEqual(visibilityProblems([...everyone].reverse(), expected, 3), []);
  });
  it("names a wrong name, an unknown player and the missing count", () => {
    const seen = [
      { id: "a", name: "storm-000" },
      { id: "b", name: "storm-009" },
      { id: "x", name: "intruder" },
    ];
    assert.deepEqual(visibilityProblems(seen, expected, 3), [
      'b is named "storm-009", expected "storm-001"',
      "unknown player x (intruder)",
      "missing 1 of 3 players",
    ]);
  });
  it("finds a player twice, by id or by name under a second id", () => {
    assert.deepEqual(visibilityProblems([...everyone, { id: "a", name: "storm-000" }], expected, 4), [
      "a appears twice",
      "saw 4 players at once, more than the 3 in the room",
    ]);
    assert.deepEqual(visibilityProblems([...everyone, { id: "z", name: "storm-001" }], expected, 4), [
      '"storm-001" appears twice',
      "saw 4 players at once, more than the 3 in the room",
    ]);
  });
  it("counts a player whose join failed on its side by name, and as missing when nobody sees it", () => {
    const unjoined: ExpectedPlayer[] = [...expected.slice(0, 2), { name: "storm-002", id: undefined }];
    assert.deepEqual(visibilityProblems([...everyone.slice(0, 2), { id: "late", name: "storm-002" }], unjoined, 3), []);
    assert.deepEqual(visibilityProblems(everyone.slice(0, 2), unjoined, 2), ["missing 1 of 3 players"]);
  });
  it("reports a transient excess even when the final view is right", () => {
    assert.deepEqual(visibilityProblems(everyone, expected, 5), ["saw 5 players at once, more than the 3 in the room"]);
  });
});

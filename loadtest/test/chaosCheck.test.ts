import assert from "node:assert/strict";
import { clientProblems, missingChat, withoutHeldSeats, type HeldSeat } from "../chaos/check";
import type { ExpectedRoom, RoomView } from "../switchCheck";

const truth: ExpectedRoom = { code: "ABCD", roomId: "r1", playerIds: ["a", "b"] };
const seat = (id: string, connected = true) => ({ key: id, id, connected });
const view = (players: RoomView["players"], avatarIds?: string[]): RoomView => ({
  viewer: "a",
  code: "ABCD",
  players,
  avatarIds,
  closeCode: null,
});
const held: HeldSeat[] = [{ code: "ABCD", playerId: "g", untilMs: 2000 }];

describe("loadtest chaos checks", () => {
  it("passes a view holding exactly the members, connected", () => {
    assert.deepEqual(clientProblems(truth, view([seat("a"), seat("b")], ["a", "b"]), [], [], [], 0), []);
  });

  it("allows a held seat only while disconnected and within its grace", () => {
    const v = view([seat("a"), seat("b"), seat("g", false)], ["a", "b", "g"]);
    assert.deepEqual(clientProblems(truth, v, held, [], [], 1000), []);
    const late = clientProblems(truth, v, held, [], [], 3000).map((p) => p.kind);
    assert.deepEqual(late.sort(), ["ghost", "ghost-avatar"]);
    const connected = view([seat("a"), seat("b"), seat("g", true)], ["a", "b", "g"]);
    assert.deepEqual(
      clientProblems(truth, connected, held, [], [], 1000)
        .map((p) => p.kind)
        .sort(),
      ["ghost", "ghost-avatar"],
    );
    assert.equal(withoutHeldSeats(v, held, 1000, truth).players?.length, 2);
  });

  it("finds the missing, the disconnected and the duplicated", () => {
    const kinds = clientProblems(truth, view([seat("a"), seat("a"), seat("b", false)]), [], [], [], 0).map((p) => p.kind);
    assert.deepEqual(kinds.sort(), ["disconnected", "duplicate"]);
    assert.deepEqual(
      clientProblems(truth, view([seat("a")]), [], [], [], 0).map((p) => p.kind),
      ["missing"],
    );
  });

  it("finds acknowledged chat lines of the room that the state lacks", () => {
    const acked = [
      { code: "ABCD", playerId: "b", text: "one" },
      { code: "ABCD", playerId: "b", text: "two" },
      { code: "WXYZ", playerId: "b", text: "elsewhere" },
    ];
    const problems = missingChat("ABCD", "a", acked, [{ playerId: "b", text: "one" }]);
    assert.deepEqual(
      problems.map((p) => p.detail),
      ['"two" acknowledged, not in state'],
    );
    assert.deepEqual(
      clientProblems(truth, view([seat("a"), seat("b")]), [], acked, [{ playerId: "b", text: "one" }], 0).map((p) => p.kind),
      ["chat-lost"],
    );
  });
});

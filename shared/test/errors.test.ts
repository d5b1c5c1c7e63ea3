import assert from "node:assert/strict";
import { ERROR_CODES, JOIN_ERROR_NUMBERS, TavernError, errorCodeFromNumber, toErrorBody } from "../src/errors";

describe("error codes", () => {
  it("every code has a distinct join number in the HTTP status range, and it decodes back", () => {
    const numbers = ERROR_CODES.map((c) => JOIN_ERROR_NUMBERS[c]);
    assert.equal(new Set(numbers).size, numbers.length);
    for (const code of ERROR_CODES) {
      const n = JOIN_ERROR_NUMBERS[code];
      assert.ok(n >= 400 && n <= 599, `${code}=${n}`);
      assert.equal(errorCodeFromNumber(n), code);
    }
  });

  it("reads every shape the SDK throws", () => {
    const rejected = Object.assign(new Error("request rejected"), {
      name: "rejected",
      reason: { code: "INVALID_PHASE", message: "not now" },
    });
    assert.deepEqual(toErrorBody(rejected), { code: "INVALID_PHASE", message: "not now" });
    const noHandler = Object.assign(new Error("no handler"), { name: "no_handler" });
    assert.equal(toErrorBody(noHandler).code, "UNKNOWN_REQUEST");
    const joinRefusal = Object.assign(new Error("full"), { name: "MatchMakeError", code: 460 });
    assert.deepEqual(toErrorBody(joinRefusal), { code: "ROOM_FULL", message: "full" });
    const colyseusNoRoom = Object.assign(new Error("no rooms found"), { code: 521 });
    assert.equal(toErrorBody(colyseusNoRoom).code, "NOT_FOUND");
    assert.deepEqual(toErrorBody(new TavernError("KICKED", "bye")), { code: "KICKED", message: "bye" });
    assert.equal(toErrorBody("weird").code, "INTERNAL_ERROR");
    assert.equal(toErrorBody(new Error("boom")).code, "INTERNAL_ERROR");
  });
});

/** Failures and the badge in words a player understands: no fetch, validator or socket wording reaches the page. */
import assert from "node:assert/strict";
import { toErrorBody } from "@tavern/shared/errors";
import { describeError, NOT_CONNECTED, UNREACHABLE } from "../src/net/describeError";
import { badgeOf } from "../src/ui/badge";

describe("describeError in plain words", () => {
  it("a fetch that never reached the server", () => {
    assert.equal(describeError(new TypeError("Failed to fetch")), UNREACHABLE);
    assert.equal(describeError(new TypeError("NetworkError when attempting to fetch resource.")), UNREACHABLE);
    assert.equal(
      describeError({ code: "INTERNAL_ERROR", message: "The server cannot be reached (TypeError: Failed to fetch)." }),
      UNREACHABLE,
    );
  });

  it("a request while the room's connection is closed", () => {
    const sdkError = new Error('cannot send request "start": connection is not open.');
    assert.equal(describeError(toErrorBody(sdkError)), NOT_CONNECTED);
    assert.equal(describeError(sdkError), NOT_CONNECTED);
  });

  it("the server's validation messages as sentences", () => {
    const say = (message: string) => describeError({ code: "VALIDATION_ERROR", message });
    assert.equal(
      say("Invalid encounter request: initiative: Too big: expected number to be <=1000"),
      "Check your input: Initiative must be at most 1000.",
    );
    assert.equal(
      say("Invalid config request: maxPlayers: Too small: expected number to be >=1"),
      "Check your input: Max players must be at least 1.",
    );
    assert.equal(
      say("Invalid chat request: text: Too small: expected string to have >=1 characters"),
      "Check your input: Text must not be empty.",
    );
    assert.equal(
      say(
        "Invalid create request: fields.name: Too big: expected string to have <=64 characters; fields.hp: Invalid input: expected int, received number",
      ),
      "Check your input: Name must be at most 64 characters. HP must be a whole number.",
    );
    assert.equal(
      say('Invalid move request: kind: Invalid option: expected one of "character"|"actor"'),
      "Check your input: Kind must be one of character, actor.",
    );
    assert.equal(
      say("minPlayers cannot be greater than maxPlayers."),
      "Check your input: minPlayers cannot be greater than maxPlayers.",
      "own wording kept",
    );
    for (const text of [
      say("Invalid x request: a: Too big: expected number to be <=3"),
      say("Invalid x request: b: Invalid input: expected boolean, received number"),
    ]) {
      assert.doesNotMatch(text, /expected|Too big|received|<=/, text);
    }
  });

  it("an unknown fault says so without a runtime's wording; the server's own sentence is kept", () => {
    assert.equal(
      describeError(new TypeError("x is not a function")),
      "Something went wrong: try again in a moment.",
      "a bug is not the network",
    );
    assert.equal(
      describeError(new SyntaxError("Unexpected token '<', \"<html>\" is not valid JSON")),
      "Something went wrong: try again in a moment.",
    );
    assert.equal(
      describeError({ code: "INTERNAL_ERROR", message: "The room sent no state in time: try again." }),
      "Something went wrong: The room sent no state in time: try again.",
    );
    assert.equal(
      describeError({ code: "INTERNAL_ERROR", message: "TypeError: x is undefined at Room.ts:12" }),
      "Something went wrong: try again in a moment.",
    );
  });
});

describe("the connection badge", () => {
  it("says 'not in a room' in the lobby and 'disconnected' only for a lost room", () => {
    assert.deepEqual(badgeOf("disconnected", false), { label: "not in a room", tone: "idle" });
    assert.deepEqual(badgeOf("disconnected", true), { label: "disconnected", tone: "disconnected" });
    assert.deepEqual(badgeOf("connected", true), { label: "connected", tone: "connected" });
    assert.deepEqual(badgeOf("reconnecting", true), { label: "reconnecting", tone: "reconnecting" });
  });
});

import assert from "node:assert/strict";
import { SeatBook } from "../../src/domain/lobby/seatBook";
import { RejoinHold, type HoldEnd, type SeatHold } from "../../src/lifecycle/seatHolds";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("seat holds", () => {
  it("a rejoin hold frees the seat once its time is up, and only then", async () => {
    const events: string[] = [];
    const hold = new RejoinHold(40, { expired: () => events.push("expired"), ended: (why) => events.push(why) });
    await sleep(10);
    assert.deepEqual(events, []);
    await sleep(60);
    assert.deepEqual(events, ["expired"]);
    assert.equal(hold.outlivesConnection, true);
  });

  it("ending a rejoin hold says why and stops its timer", async () => {
    const events: string[] = [];
    const hold = new RejoinHold(30, { expired: () => events.push("expired"), ended: (why: HoldEnd) => events.push(why) });
    hold.end("reclaimed");
    await sleep(60);
    assert.deepEqual(events, ["reclaimed"]);
  });

  it("the book hands a held seat's hold to the connection that takes the seat, and forgets a gone session", () => {
    const book = new SeatBook<{ sessionId: string }, SeatHold>();
    const dropped = { sessionId: "s1" };
    const hold: SeatHold = { outlivesConnection: true, end: () => {} };
    book.take("p1", dropped);
    book.hold("p1", hold);
    assert.equal(book.holdOf("p1"), hold);
    book.forgetSession("s1");
    assert.equal(book.ownerOf(dropped), undefined, "the gone connection owns nothing");
    assert.equal(book.playerOfSessionId("s1"), undefined);
    const taken = book.take("p1", { sessionId: "s2" });
    assert.equal(taken.reservation, hold, "the new connection ends the hold");
    assert.equal(book.holdOf("p1"), undefined);
    assert.equal(book.ownerOf({ sessionId: "s2" }), "p1");
  });
});

/**
 * The room panel's per-player listeners, against a real encoder and decoder: one per seat, released
 * when the player leaves and when the panel goes; a player's own changes redraw the panel meanwhile.
 */
import assert from "node:assert/strict";
import { Callbacks, Decoder, Encoder } from "@colyseus/schema";
import { LobbyState, PlayerState } from "@tavern/shared/state";
import { subscribePlayers } from "../src/ui/room/playerSubscriptions";

describe("room panel: per-player listeners", () => {
  it("keeps one listener per seat present, releases a leaver's, and all of them on unmount", () => {
    const server = new LobbyState();
    const encoder = new Encoder(server);
    const decoder = new Decoder(new LobbyState());
    let first = true;
    const flush = () => {
      const bytes = (first ? encoder.encodeAll() : encoder.encode()).slice();
      first = false;
      encoder.discardChanges();
      if (bytes.length > 0) decoder.decode(bytes);
    };
    let redraws = 0;
    const subs = subscribePlayers(Callbacks.get(decoder), () => redraws++);
    for (const id of ["a", "b", "c"]) server.players.set(id, new PlayerState().assign({ name: id }));
    flush();
    assert.equal(subs.live(), 3);

    const kept = server.players.get("b")!;
    server.players.delete("a");
    flush();
    assert.equal(subs.live(), 2, "the leaver's listener is released");

    const before = redraws;
    kept.ready = true;
    flush();
    assert.ok(redraws > before, "a seated player's change redraws");

    for (const off of subs.offs) off();
    assert.equal(subs.live(), 0, "unmount releases every listener");
    const afterUnmount = redraws;
    kept.name = "renamed";
    server.players.set("d", new PlayerState().assign({ name: "d" }));
    flush();
    assert.equal(redraws, afterUnmount, "nothing fires after unmount");
  });
});

/**
 * The shared space's positions survive the wire exactly: a minute of diagonal walking and of
 * click-to-move paths, encoded and decoded every tick as a room does, leaves the decoder holding
 * the server's very numbers, so the state hash agrees at every tick.
 */
import assert from "node:assert/strict";
import { Decoder, Encoder } from "@colyseus/schema";
import { AvatarState, PlayerState, SpaceState, avatarsOf } from "../src/state";
import { SPACE_MAP, directionToward, spawnPoint, step } from "../src/spaceMap";
import { hashState } from "../src/stateHash";

const TICK = 1 / 20;

describe("space positions on the wire", () => {
  it("a minute of diagonal and click-to-move walking decodes to exactly the server's positions", () => {
    const server = new SpaceState();
    const encoder = new Encoder(server);
    const decoder = new Decoder(new SpaceState());
    const walkers = ["diag", "target"].map((id, i) => {
      const avatar = new AvatarState().assign(spawnPoint(SPACE_MAP, i));
      server.players.set(id, new PlayerState().assign({ name: id, avatar }));
      return avatar;
    });
    decoder.decode(encoder.encodeAll().slice());
    encoder.discardChanges();
    const targets = [
      { x: 333.3, y: 121.7 },
      { x: 97.1, y: 402.9 },
      { x: 511.5, y: 288.8 },
    ];
    let fractional = 0;
    for (let tick = 0; tick < 60 / TICK; tick++) {
      const [diag, target] = walkers as [AvatarState, AvatarState];
      // Diagonal, changing direction every 3 s so walls do not stop it for good.
      const turn = Math.floor(tick / 60) % 4;
      const next = step(SPACE_MAP, diag, turn % 2 === 0 ? 1 : -1, turn < 2 ? 1 : -1, TICK);
      Object.assign(diag, next);
      const goal = targets[Math.floor(tick / 400) % targets.length]!;
      const dir = directionToward(target, goal, TICK);
      Object.assign(target, step(SPACE_MAP, target, dir.dx, dir.dy, TICK));
      for (const a of walkers) if (!Number.isInteger(a.x) || !Number.isInteger(a.y)) fractional++;

      const bytes = encoder.encode().slice();
      encoder.discardChanges();
      if (bytes.length > 0) decoder.decode(bytes);
      for (const [id, a] of avatarsOf(server)) {
        const seen = decoder.state.players.get(id)!.avatar!;
        assert.equal(seen.x, a.x, `tick ${tick}: ${id}.x`);
        assert.equal(seen.y, a.y, `tick ${tick}: ${id}.y`);
      }
      assert.equal(hashState(decoder.state), hashState(server), `tick ${tick}: hashes agree`);
    }
    assert.ok(fractional > 1000, "the paths went through fractional positions");
  });
});

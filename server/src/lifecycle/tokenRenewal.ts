/**
 * Sliding sign-ins: a client that joins with a token past half its life is sent a fresh one for
 * the same player (the `session` message), so a player who keeps playing never meets an expired
 * token. The join never waits for it, and a failure only costs the renewal.
 */
import type { Client } from "@colyseus/core";
import type { Logger } from "../logger";
import type { RoomServices } from "../services";
import type { JoinAuth } from "./joinGate";

export function renewTokenIfDue(client: Client, identity: JoinAuth, svc: RoomServices, log: Logger): void {
  if (!svc.tokens.due(identity)) return;
  void (async () => {
    try {
      const session = await svc.tokens.renew(identity, await svc.accounts.usernameOf(identity.playerId));
      client.send("session", session);
    } catch (err) {
      log.warn({ err, playerId: identity.playerId }, "could not renew a token on join");
    }
  })();
}

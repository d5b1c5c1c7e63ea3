/**
 * What a decoded Cabo state holds that its player may not know at that moment, by the rules'
 * entitlements (docs/CABO.md, "What each seat may know") read from the same decoded frame: a
 * hidden card's value in the public game, another player's private part, a drawn card outside the
 * player's own drawn step, a known card outside the setup peek or the player's own window. The
 * test build checks every decoded patch with it; an empty list is the only right answer.
 */
import { SETUP_PEEK_POSITIONS } from "@tavern/shared/cabo/rules";
import { UNKNOWN_CARD, knownKey, type CaboState } from "@tavern/shared/cabo/state";

export function unentitledHoldings(state: CaboState, selfId: string): string[] {
  const g = state.game;
  if (!g) return [];
  const out: string[] = [];
  const reveal = g.phase === "roundEnd" || g.phase === "matchEnd";
  g.players.forEach((p) =>
    p.hand.forEach((slot, position) => {
      if (slot.value !== UNKNOWN_CARD && !slot.faceUp && !reveal) out.push(`public value at ${knownKey(p.seat, position)}`);
    }),
  );
  const inMatch = g.players.some((p) => p.seat === selfId && !p.left);
  state.secrets?.forEach((secret, owner) => {
    if (owner !== selfId || !inMatch) {
      out.push(`the private part of ${owner}`);
      return;
    }
    const ownTurn = g.phase === "turn" && g.turnSeat === selfId;
    if (secret.drawn !== UNKNOWN_CARD && !(ownTurn && g.turnStep === "drawn" && g.holdsDrawn))
      out.push("a drawn card outside the drawn step");
    const setupPeek = g.phase === "setup" && !g.setupDone.includes(selfId);
    const allowed = new Set<string>();
    if (setupPeek) for (const position of SETUP_PEEK_POSITIONS) allowed.add(knownKey(selfId, position));
    if (ownTurn && g.turnStep === "window" && g.windowSeat === selfId) allowed.add(knownKey(g.windowTarget, g.windowPosition));
    secret.known.forEach((_value, key) => {
      if (!allowed.has(key)) out.push(`known ${key} in phase ${g.phase}, step ${g.turnStep || "-"}`);
    });
  });
  return out;
}

/**
 * Writes a Cabo game into the room's schema state: the public view (../../domain/cabo/views.ts)
 * into `game`, and into each seat's private part (a per-seat view, ../../lifecycle/seatViews.ts)
 * exactly the values that seat is entitled to beyond the public ones. Values only: a hidden card
 * is the same `UNKNOWN_CARD` everywhere, and an entitlement that ends is deleted from the part.
 * Fields are written only when they change, so a patch carries what changed and nothing else.
 */
import { type ArraySchema, type Schema } from "@colyseus/schema";
import {
  CaboPlayerState,
  CaboRoundResultState,
  CaboScoreState,
  CaboSecretState,
  CaboSlotState,
  UNKNOWN_CARD,
  knownKey,
  type CaboGameState,
  type CaboState,
} from "@tavern/shared/cabo/state";
import { entitlementsOf, publicView, refKey, type CaboState as Game, type CaboView } from "../../domain/cabo";
import type { SeatViews } from "../../lifecycle/seatViews";

export const seatAudience = (playerId: string) => `seat:${playerId}`;

export class CaboProjection {
  constructor(
    private readonly state: CaboState,
    private readonly views: SeatViews,
  ) {}

  /** Projects `game` (undefined: no match yet) into the state. */
  write(game: Game | undefined, extras: { lastAction?: string; nextRoundAt?: number } = {}): void {
    const g = this.state.game;
    if (extras.lastAction !== undefined) set(g, "lastAction", extras.lastAction);
    set(g, "nextRoundAt", extras.nextRoundAt ?? 0);
    if (!game) {
      set(g, "phase", "idle");
      return;
    }
    this.writePublic(publicView(game));
    this.writeSecrets(game);
  }

  /** No game: the room is back in its lobby (settings stay). */
  clear(): void {
    const g = this.state.game;
    set(g, "phase", "idle");
    for (const key of ["turnSeat", "turnStep", "windowKind", "windowSeat", "windowTarget", "caller", "lastAction"] as const)
      set(g, key, "");
    for (const key of ["match", "round", "drawPile", "setupUntil", "turnDeadline", "windowUntil", "nextRoundAt"] as const) set(g, key, 0);
    set(g, "windowPosition", -1);
    set(g, "holdsDrawn", false);
    set(g, "caboAllowed", false);
    for (const list of [g.discard, g.setupDone, g.lastTurns, g.winners, g.players, g.history] as ArraySchema<unknown>[]) list.clear();
  }

  /** A seat's private part, created the first time the seat plays. */
  ensureSecret(playerId: string): void {
    if (this.state.secrets.has(playerId)) return;
    const secret = new CaboSecretState();
    this.views.share(seatAudience(playerId), secret, () => this.state.secrets.set(playerId, secret));
  }

  /** A seat gone for good: its private part leaves its views and the state. */
  dropSecret(playerId: string): void {
    this.views.drop(seatAudience(playerId));
    this.state.secrets.delete(playerId);
  }

  private writePublic(view: CaboView): void {
    const g: CaboGameState = this.state.game;
    set(g, "phase", view.phase);
    set(g, "match", view.match);
    set(g, "round", view.round);
    set(g, "drawPile", view.drawPile);
    set(g, "setupUntil", view.setupUntil ?? 0);
    set(g, "peekSeconds", view.config.peekSeconds);
    set(g, "turnSeconds", view.config.turnSeconds);
    set(g, "revealSeconds", view.config.revealSeconds);
    set(g, "memoryAid", view.config.memoryAid);
    syncPrimitives(g.discard, view.discard);
    syncPrimitives(g.setupDone, view.setupDone);
    set(g, "turnSeat", view.turn?.seat ?? "");
    set(g, "turnStep", view.turn?.step ?? "");
    set(g, "turnDeadline", view.turn?.deadline ?? 0);
    set(g, "holdsDrawn", view.turn?.holdsDrawn ?? false);
    set(g, "caboAllowed", view.turn?.caboAllowed ?? false);
    set(g, "windowKind", view.window?.kind ?? "");
    set(g, "windowSeat", view.window?.seat ?? "");
    set(g, "windowTarget", view.window?.target.seat ?? "");
    set(g, "windowPosition", view.window?.target.position ?? -1);
    set(g, "windowUntil", view.window?.until ?? 0);
    set(g, "caller", view.cabo?.caller ?? "");
    syncPrimitives(g.lastTurns, view.cabo?.lastTurns ?? []);
    syncPrimitives(g.winners, view.winners);
    syncSchemas(
      g.players,
      view.players,
      () => new CaboPlayerState(),
      (s, p) => {
        set(s, "seat", p.seat);
        set(s, "left", p.left);
        set(s, "inRound", p.inRound);
        set(s, "total", p.total);
        set(s, "cards", p.cards);
        syncSchemas(
          s.hand,
          p.hand,
          () => new CaboSlotState(),
          (slot, v) => {
            set(slot, "present", v !== null);
            set(slot, "faceUp", v?.faceUp ?? false);
            set(slot, "value", v?.value ?? UNKNOWN_CARD);
          },
        );
      },
    );
    syncSchemas(
      g.history,
      view.history,
      () => new CaboRoundResultState(),
      (s, r) => {
        set(s, "round", r.round);
        set(s, "reason", r.reason);
        set(s, "caller", r.caller ?? "");
        set(s, "callerWon", r.callerWon === null ? -1 : r.callerWon ? 1 : 0);
        syncSchemas(
          s.scores,
          r.scores,
          () => new CaboScoreState(),
          (score, v) => {
            set(score, "seat", v.seat);
            set(score, "sum", v.sum);
            set(score, "score", v.score);
            set(score, "total", v.total);
          },
        );
      },
    );
  }

  private writeSecrets(game: Game): void {
    const shared = new Set(entitlementsOf(game, null).map((e) => refKey(e.ref)));
    for (const player of game.players) {
      if (player.left) continue; // its part was dropped with the seat
      this.ensureSecret(player.seat);
      const secret = this.state.secrets.get(player.seat)!;
      let drawn = UNKNOWN_CARD;
      const known = new Map<string, number>();
      for (const { ref, value } of entitlementsOf(game, player.seat)) {
        if (shared.has(refKey(ref))) continue;
        if (ref.zone === "drawn") drawn = value;
        else if (ref.zone === "hand") known.set(knownKey(ref.seat, ref.position), value);
      }
      set(secret, "drawn", drawn);
      for (const key of Array.from(secret.known.keys())) if (!known.has(key)) secret.known.delete(key);
      for (const [key, value] of known) if (secret.known.get(key) !== value) secret.known.set(key, value);
    }
  }
}

/** Assigns a field only when its value differs (an unchanged field stays out of the patch). */
function set<S extends Schema, K extends keyof S & string>(target: S, key: K, value: S[K]): void {
  if (target[key] !== value) target[key] = value;
}

function syncPrimitives<T extends string | number>(target: ArraySchema<T>, values: readonly T[]): void {
  while (target.length > values.length) target.pop();
  values.forEach((value, i) => {
    if (i >= target.length) target.push(value);
    else if (target[i] !== value) target[i] = value;
  });
}

function syncSchemas<S extends Schema, V>(
  target: ArraySchema<S>,
  values: readonly V[],
  create: () => S,
  write: (s: S, v: V) => void,
): void {
  while (target.length > values.length) target.pop();
  values.forEach((value, i) => {
    const existing = target[i];
    if (existing) write(existing, value);
    else {
      const fresh = create();
      write(fresh, value);
      target.push(fresh);
    }
  });
}

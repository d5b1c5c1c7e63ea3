/**
 * Cabo, the memory card game (docs/CABO.md): the lifecycle plus one game of the pure rules
 * (../domain/cabo). The host's Start deals a match to the seated players, Play again (reset, then
 * Start) deals a new one. Every move and every timer goes through apply(): the rules' next state,
 * then the projection into the schema state (./cabo/projection.ts), where each player's private
 * part is a per-seat view, so no client ever holds a card value it may not see at that moment.
 */
import { randomBytes } from "node:crypto";
import type { Client, Delayed } from "@colyseus/core";
import { caboContract } from "@tavern/shared/contract";
import { caboCreateOptionsSchema } from "@tavern/shared/cabo/protocol";
import { CABO_CONFIG_DEFAULTS, type CaboConfig } from "@tavern/shared/cabo/rules";
import { CaboState } from "@tavern/shared/cabo/state";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { TavernError } from "@tavern/shared/errors";
import type { Phase } from "@tavern/shared/protocol";
import { hashState } from "@tavern/shared/stateHash";
import {
  applyMove,
  leave,
  newMatch,
  nextDeadline,
  nextRound,
  rngFromBytes,
  seededRng,
  tick,
  type CaboRng,
  type CaboState as Game,
  type CaboStep,
} from "../domain/cabo";
import { describeZodError } from "../domain/validation";
import { LifecycleRoom, joinError, memoized } from "../lifecycle/LifecycleRoom";
import { describeEvent } from "./cabo/describe";
import { CaboProjection, seatAudience } from "./cabo/projection";

export class CaboRoom extends LifecycleRoom<CaboState> {
  protected readonly roomType = "cabo";
  private projection!: CaboProjection;
  private game: Game | undefined;
  private matches = 0;
  private gameConfig: CaboConfig = CABO_CONFIG_DEFAULTS;
  private rng: CaboRng = rngFromBytes((n) => randomBytes(n));
  private timer: Delayed | undefined;
  private nextRoundAt = 0;
  /** How long every card stays shown after a round before the next one is dealt. */
  private roundPauseMs = 8000;

  protected createState(): CaboState {
    const state = new CaboState();
    this.projection = new CaboProjection(state, this.views);
    return state;
  }

  override async onCreate(options: unknown): Promise<void> {
    const parsed = caboCreateOptionsSchema.safeParse(options ?? {});
    if (!parsed.success) throw joinError(new TavernError("VALIDATION_ERROR", `Invalid Cabo options: ${describeZodError(parsed.error)}`));
    this.gameConfig = { ...CABO_CONFIG_DEFAULTS, ...parsed.data.cabo };
    this.roundPauseMs = parsed.data.roundPauseSeconds * 1000;
    if (parsed.data.seed !== undefined) {
      if (!this.svc.config.caboAllowSeed) throw joinError(new TavernError("VALIDATION_ERROR", "A seed is accepted in test mode only."));
      this.rng = seededRng(parsed.data.seed);
    }
    await super.onCreate(options);
    this.projection.write(undefined);
    const g = this.state.game;
    Object.assign(g, { peekSeconds: this.gameConfig.peekSeconds, turnSeconds: this.gameConfig.turnSeconds });
    Object.assign(g, { revealSeconds: this.gameConfig.revealSeconds, memoryAid: this.gameConfig.memoryAid });
  }

  protected override registerRoomRequests(): void {
    this.handle(caboContract, "move", ({ playerId }, move) => this.play(playerId, move));
  }

  /** A player of the match sees their own private part; everyone else (spectators, late joiners) the public game. */
  protected override audiencesOf(playerId: string): readonly string[] {
    return this.game?.players.some((p) => p.seat === playerId && !p.left) ? [seatAudience(playerId)] : [];
  }

  protected override onPhaseChanged(_from: Phase, to: Phase): void {
    if (to === "playing") this.startMatch();
    else if (to === "lobby") this.endGame();
    else this.stopTimer(); // finished: the host ended it, or the rules did
  }

  protected override onSeatRemoved(playerId: string): void {
    const game = this.game;
    if (!game?.players.some((p) => p.seat === playerId && !p.left)) return;
    this.apply(leave(game, playerId, Date.now()));
    this.projection.dropSecret(playerId);
  }

  /** What this client decodes: the public game and, for a player, their own private part. */
  protected override stateHashFor(client: Client, memo: Map<string, string>): string {
    const own = this.ownerOf(client);
    return memoized(memo, this.views.keyOf(client), () => {
      const json = this.state.toJSON() as Record<string, unknown>;
      const secrets = (json["secrets"] ?? {}) as Record<string, unknown>;
      // A client with no view does not receive the private parts' map at all; a player, its own entry.
      const { secrets: _all, ...shared } = json;
      const mine = own !== undefined && own in secrets && this.views.keyOf(client) !== "public";
      return hashState({ toJSON: () => (mine ? { ...shared, secrets: { [own]: secrets[own] } } : shared) });
    });
  }

  override async onDispose(): Promise<void> {
    this.stopTimer();
    await super.onDispose();
  }

  private play(playerId: string, move: CaboMove): void {
    if (this.state.phase !== "playing" || !this.game) throw new TavernError("INVALID_PHASE", "No game is running: the host starts one.");
    if (!this.game.players.some((p) => p.seat === playerId)) {
      throw new TavernError("PERMISSION_DENIED", "You are not dealt into this match: wait for the next one.");
    }
    this.apply(applyMove(this.game, playerId, move, { now: Date.now() }));
  }

  private startMatch(): void {
    const seats = [...this.state.players.entries()]
      .filter(([, p]) => p.role !== "spectator")
      .sort(([, a], [, b]) => a.joinedAt - b.joinedAt)
      .map(([id]) => id);
    for (const seat of seats) this.projection.ensureSecret(seat);
    this.matches += 1;
    this.apply(newMatch(seats, this.gameConfig, { now: Date.now(), rng: this.rng }, this.matches));
    this.refreshViews(...seats);
  }

  /** The one way the game changes: the rules' step, projected, announced in words, its timers set. */
  private apply(step: CaboStep): void {
    this.game = step.state;
    const names = (seat: string) => this.state.players.get(seat)?.name ?? "A player who left";
    const words = step.events.map((e) => describeEvent(e, names)).filter((w): w is string => w !== undefined);
    this.nextRoundAt = step.state.phase === "roundEnd" ? this.nextRoundAt || Date.now() + this.roundPauseMs : 0;
    const lastAction = words.length > 0 ? words.join(" ") : undefined;
    this.projection.write(step.state, { ...(lastAction !== undefined ? { lastAction } : {}), nextRoundAt: this.nextRoundAt });
    if (step.events.length > 0) this.touch();
    if (step.state.phase === "matchEnd") {
      this.stopTimer();
      this.changePhase("finished");
      return;
    }
    this.schedule();
  }

  /** Back to the lobby (reset): no game, no private part, until the host deals again. */
  private endGame(): void {
    this.stopTimer();
    this.game = undefined;
    this.nextRoundAt = 0;
    this.projection.clear();
    for (const id of Array.from(this.state.secrets.keys())) this.projection.dropSecret(id);
    this.refreshViews(...this.state.players.keys());
  }

  /** One timer: the rules' next deadline, or the next deal after a round's reveal. */
  private schedule(): void {
    this.stopTimer();
    const game = this.game;
    if (!game) return;
    const at = game.phase === "roundEnd" ? this.nextRoundAt : nextDeadline(game);
    if (at === null || at === 0) return;
    this.timer = this.clock.setTimeout(() => this.onTimer(), Math.max(0, at - Date.now()));
  }

  private onTimer(): void {
    this.timer = undefined;
    const game = this.game;
    if (!game || this.state.phase !== "playing") return;
    try {
      if (game.phase === "roundEnd") {
        this.nextRoundAt = 0;
        this.apply(nextRound(game, { now: Date.now(), rng: this.rng }));
      } else this.apply(tick(game, Date.now()));
    } catch (err) {
      this.reportException(err, "cabo:timer");
      this.schedule();
    }
  }

  private stopTimer(): void {
    this.timer?.clear();
    this.timer = undefined;
  }
}

/**
 * The requests every room type answers (ready, config, start, finish, reset, kick, transferHost,
 * chat, ping, launchGame, stateHash, integrityMismatch): each checks the lobby rules (./rules.ts) and asks the room to act.
 */
import type { Client } from "@colyseus/core";
import { lifecycleContract } from "@tavern/shared/contract";
import { TavernError } from "@tavern/shared/errors";
import type { Phase, RoomConfig } from "@tavern/shared/protocol";
import type { LobbyState } from "@tavern/shared/state";
import type { StateHashReply } from "@tavern/shared/stateHash";
import { playerLimits } from "@tavern/shared/roomDefaults";
import { TokenBuckets } from "./rateLimiter";
import type { RequestRouter } from "./requestRouter";
import { applyConfigPatch, checkCanStart, checkKick, checkTransferHost, requireHost, requirePhase } from "../domain/lobby/rules";

/** Chat lines per second per connection, and the burst allowed. */
const CHAT_RATE = 2;
const CHAT_BURST = 10;
/** Launch requests per second per room, and the burst: each one is a delivery to every listening endpoint. */
const LAUNCH_RATE = 0.2;
const LAUNCH_BURST = 3;
/** One integrity report per connection counts within this interval; more are answered and not counted. */
export const INTEGRITY_REPORT_INTERVAL_MS = 10_000;

export interface LifecycleHost {
  readonly state: LobbyState;
  readonly roomType: string;
  readConfig(): RoomConfig;
  /** Writes an accepted config and lets every part follow it (capacity, listing, door, storage). */
  applyConfig(before: RoomConfig, next: RoomConfig): void;
  changePhase(to: Phase): void;
  kick(targetId: string): void;
  transferHost(targetId: string, previousId: string): void;
  appendChat(playerId: string, name: string, text: string): void;
  nextHash(client: Client): Promise<StateHashReply>;
  /** Emits game.launch_requested (./roomEvents.ts); answers the event's id. */
  requestLaunch(playerId: string, gameId: string | undefined): string;
  /** A client said its decoded state did not match the server's hash. */
  integrityMismatchReported(): void;
}

export class LifecycleRequests {
  private readonly chatBuckets = new TokenBuckets(CHAT_RATE, CHAT_BURST);
  private readonly launchBucket = new TokenBuckets(LAUNCH_RATE, LAUNCH_BURST);
  private readonly integrityBuckets = new TokenBuckets(1000 / INTEGRITY_REPORT_INTERVAL_MS, 1);

  constructor(private readonly room: LifecycleHost) {}

  forget(sessionId: string): void {
    this.chatBuckets.forget(sessionId);
    this.integrityBuckets.forget(sessionId);
  }

  register(router: RequestRouter): void {
    const room = this.room;
    const { state } = room;

    router.handle(lifecycleContract, "ready", ({ seat }, { ready }) => {
      requirePhase(state.phase, ["lobby"], "change readiness");
      if (seat.role === "spectator") throw new TavernError("PERMISSION_DENIED", "Spectators do not play, so they cannot be ready.");
      seat.ready = ready;
    });

    router.handle(lifecycleContract, "config", ({ playerId }, patch) => {
      requireHost(playerId, state.hostId, "change the room settings");
      requirePhase(state.phase, ["lobby"], "change the room settings");
      const before = room.readConfig();
      const next = applyConfigPatch(before, patch, state.players.values(), playerLimits(room.roomType));
      room.applyConfig(before, next);
      return { config: next };
    });

    router.handle(lifecycleContract, "start", ({ playerId }) => {
      requireHost(playerId, state.hostId, "start the game");
      requirePhase(state.phase, ["lobby"], "start");
      checkCanStart(state.players.entries(), room.readConfig(), state.hostId);
      room.changePhase("playing");
    });

    router.handle(lifecycleContract, "finish", ({ playerId }) => {
      requireHost(playerId, state.hostId, "finish the game");
      requirePhase(state.phase, ["playing"], "finish");
      room.changePhase("finished");
    });

    router.handle(lifecycleContract, "reset", ({ playerId }) => {
      requireHost(playerId, state.hostId, "start a new round");
      requirePhase(state.phase, ["finished"], "start a new round");
      for (const seat of state.players.values()) seat.ready = false;
      room.changePhase("lobby");
    });

    router.handle(lifecycleContract, "kick", ({ playerId }, { playerId: targetId }) => {
      checkKick(playerId, state.hostId, targetId, state.players);
      room.kick(targetId);
    });

    router.handle(lifecycleContract, "transferHost", ({ playerId }, { playerId: targetId }) => {
      checkTransferHost(playerId, state.hostId, targetId, state.players);
      room.transferHost(targetId, playerId);
    });

    router.handle(lifecycleContract, "chat", ({ client, playerId, seat }, { text }) => {
      if (!this.chatBuckets.take(client.sessionId, Date.now()))
        throw new TavernError("RATE_LIMITED", "You are sending chat messages too fast.");
      room.appendChat(playerId, seat.name, text);
    });

    router.handle(lifecycleContract, "ping", () => ({ now: Date.now() }));

    router.handle(lifecycleContract, "launchGame", ({ playerId }, payload) => {
      requireHost(playerId, state.hostId, "launch the game");
      if (state.currentGame) {
        throw new TavernError("INVALID_PHASE", `Game ${state.currentGame.gameId} is running in this room: it must end first.`);
      }
      // One budget for the room (not per connection): a host's second tab shares it.
      if (!this.launchBucket.take("room", Date.now()))
        throw new TavernError("RATE_LIMITED", "The game was asked to launch just now: wait a little.");
      return { eventId: room.requestLaunch(playerId, payload?.gameId) };
    });

    router.handle(lifecycleContract, "stateHash", ({ client }) => room.nextHash(client));
    router.handle(lifecycleContract, "integrityMismatch", ({ client }) => {
      if (this.integrityBuckets.take(client.sessionId, Date.now())) room.integrityMismatchReported();
    });
  }
}

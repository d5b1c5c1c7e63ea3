/**
 * The door of a room: kicked players (and their devices) stay out, a private room answers a
 * stranger without its code as if there were no room, and a locked room holds a newcomer's join
 * until the host lets them in or turns them away.
 *
 * Why a knock waits inside onJoin: Tavern's rooms authenticate in a static onAuth (the join gate,
 * before any seat is reserved), and Colyseus runs an instance onAuth only when a room has no static
 * one, so onJoin is the awaited hook left. Once the socket has arrived, Colyseus has stopped the
 * seat reservation's timer (Room._onJoin clears it), so the wait is bounded by
 * KNOCK_TIMEOUT_SECONDS and not by the reservation. Until onJoin returns the client stays
 * JOINING: it gets no JOIN_ROOM handshake, no full state (sent only once the client acknowledges
 * JOIN_ROOM), no patches (the serializer skips clients that are not JOINED), and messages to it
 * queue and are dropped with the socket when the knock is refused. So an unapproved knocker
 * receives no byte of the room. The alternative, refusing with a code and letting the client try
 * again until approved, makes the knocker poll (a matchmaking request and a socket each time),
 * delays the admission to the next poll, and can tell "gave up" only by a missing poll; a held
 * join is let in at once and withdrawn the moment its socket closes. The cost is a socket and a
 * connection slot per waiting knock, bounded by MAX_KNOCKS.
 */
import { ClientState, type Client } from "@colyseus/core";
import { lifecycleContract } from "@tavern/shared/contract";
import { TavernError } from "@tavern/shared/errors";
import type { KnocksMessage, RoomConfig } from "@tavern/shared/protocol";
import type { LobbyState } from "@tavern/shared/state";
import { KickList, entryAtDoor } from "../domain/lobby/admission";
import type { JoinAuth } from "./joinGate";
import { KnockQueue } from "./knocks";
import type { RequestRouter } from "./requestRouter";
import { admitNewcomer, checkPrivateEntry, requireHost } from "../domain/lobby/rules";

/** Knocks a locked room holds at once: each holds a socket and a connection slot (see connectionCap). */
const MAX_KNOCKS = 20;

export interface JoinRequest {
  wantsSpectator: boolean;
  offeredCode: string | undefined;
}

export interface DoorHost {
  readonly state: LobbyState;
  readConfig(): RoomConfig;
  /** The connection in the host's seat, if any. */
  hostConnection(): Client | undefined;
  /** The lock or the kicks changed: a durable room stores them. */
  moderationChanged(): void;
}

export class Door {
  readonly kicks = new KickList();
  private readonly knocks: KnockQueue;

  constructor(
    private readonly room: DoorHost,
    knockTimeoutSeconds: number,
  ) {
    this.knocks = new KnockQueue({ timeoutMs: knockTimeoutSeconds * 1000, max: MAX_KNOCKS, onChange: () => this.showKnocks() });
  }

  /** Decides whether this join may go on to take a seat, holding it while the room is locked. Answers whether it waited. */
  async pass(client: Client, identity: JoinAuth, request: JoinRequest, knock: boolean): Promise<boolean> {
    const { state } = this.room;
    if (!state.players.has(identity.playerId)) {
      // A private room answers a stranger without its code as if there were no room: no door rule may speak first.
      checkPrivateEntry({
        isPrivate: state.config.private,
        code: state.code,
        offeredCode: request.offeredCode,
        isHost: identity.playerId === state.hostId,
      });
    }
    const door = {
      locked: state.config.locked,
      hostId: state.hostId,
      hostSeated: state.players.has(state.hostId),
      seats: state.players.size,
      isSeated: (playerId: string) => state.players.has(playerId),
    };
    if (entryAtDoor(door, { ...identity, knock }, this.kicks) === "seat") return false;
    // Nobody asks the host about someone who could not sit anyway; seating checks again after.
    admitNewcomer(state.players.values(), this.room.readConfig(), { wantsSpectator: request.wantsSpectator, isKicked: false });
    // A socket closed before the knock is registered would never withdraw it.
    if (client.state === ClientState.LEAVING) throw new TavernError("KNOCK_UNANSWERED", "The knock was withdrawn.");
    const { id, admitted } = this.knocks.knock({ playerId: identity.playerId, name: identity.name, spectator: request.wantsSpectator });
    const withdraw = () => this.knocks.withdraw(id);
    client.ref.once("close", withdraw);
    try {
      await admitted;
    } finally {
      client.ref.off("close", withdraw);
    }
    return true;
  }

  /** The host (re)took their seat: show them who waits. */
  hostSeated(): void {
    if (this.knocks.size > 0) this.showKnocks();
  }

  /**
   * Knocks wait for whoever holds the host's seat: a new host (migration, transfer) is shown
   * them; with nobody in the host's seat (the last player left, a table's GM left) they end at
   * once instead of waiting out their timeout.
   */
  hostChanged(): void {
    if (this.knocks.size === 0) return;
    if (this.room.state.players.has(this.room.state.hostId)) this.showKnocks();
    else this.knocks.endAll(new TavernError("KNOCK_UNANSWERED", "The host left, so nobody can let you in right now: try again later."));
  }

  /** The config changed (the host may have unlocked through `config`). */
  configChanged(before: RoomConfig, after: RoomConfig): void {
    if (before.locked && !after.locked) this.knocks.admitAll();
  }

  closing(): void {
    this.knocks.endAll(new TavernError("KNOCK_UNANSWERED", "The room closed."));
  }

  register(router: RequestRouter): void {
    router.handle(lifecycleContract, "lock", ({ playerId }, { locked }) => {
      const { state } = this.room;
      requireHost(playerId, state.hostId, "lock or unlock the room");
      if (state.config.locked !== locked) {
        state.config.locked = locked;
        if (!locked) this.knocks.admitAll();
        this.room.moderationChanged();
      }
      return { locked };
    });

    router.handle(lifecycleContract, "answerKnock", ({ playerId }, { knockId, admit }) => {
      requireHost(playerId, this.room.state.hostId, "let people in");
      if (!this.knocks.answer(knockId, admit)) {
        throw new TavernError("NOT_FOUND", "That knock is no longer waiting (withdrawn, timed out or answered).", { knockId });
      }
    });
  }

  /** The list of knocks, to the host's connection (the host alone learns who is waiting). */
  private showKnocks(): void {
    this.room.hostConnection()?.send("knocks", { knocks: this.knocks.list() } satisfies KnocksMessage);
  }
}

/**
 * The Cabo room's moves, typed from the contract, for the page's buttons and clicks: each resolves
 * to whether the move was taken, after a refusal was told to the player in words, so a click
 * handler never has to catch. Moves the player makes are told to the memory aid, which needs to
 * know where its own cards went.
 */
import type { Room } from "@colyseus/sdk";
import { typedRequests, type CaboContract, type RequestFn } from "@tavern/shared/contract";
import type { CaboMove } from "@tavern/shared/cabo/moves";
import { toErrorBody } from "@tavern/shared/errors";
import type { CaboState } from "@tavern/shared/cabo/state";
import type { Notify } from "../ui/notice";
import { describeRefusal } from "./refusals";

export interface MoveWatcher {
  sending(move: CaboMove): void;
  refused(move: CaboMove): void;
}

export class CaboApi {
  private readonly request: RequestFn<CaboContract>;
  private readonly watchers = new Set<MoveWatcher>();

  constructor(
    private readonly room: Room<unknown, CaboState>,
    private readonly notify: Notify,
  ) {
    this.request = typedRequests<CaboContract>(room, toErrorBody);
  }

  async move(move: CaboMove): Promise<boolean> {
    try {
      for (const watcher of this.watchers) watcher.sending(move);
      await this.request("move", move);
      this.notify.succeeded();
      return true;
    } catch (err) {
      for (const watcher of this.watchers) watcher.refused(move);
      this.notify(describeRefusal(err, (seat) => this.room.state.players.get(seat)?.name ?? "another player"));
      return false;
    }
  }

  /** Told of every move just before it is sent, and of its refusal (the memory aid follows its own cards). */
  onMove(watcher: MoveWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

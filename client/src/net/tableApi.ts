/**
 * The table room's requests, typed, for the screens of a table. Every call resolves with the
 * reply, or with undefined after the failure was told to the user in plain words, so a button
 * handler never has to catch. GM edits of entity fields go through the update queue.
 */
import type { Room } from "@colyseus/sdk";
import {
  typedRequests,
  type PayloadArgs,
  type ReplyOf,
  type RequestFn,
  type RequestName,
  type RollReply,
  type TableContract,
} from "@tavern/shared/contract";
import { toErrorBody } from "@tavern/shared/errors";
import type { Operation, PublicUpdateReply, UpdateReply } from "@tavern/shared/table/operations";
import type { EncounterCommand } from "@tavern/shared/table/protocol";
import type { TableState } from "@tavern/shared/table/state";
import type { TokenRef } from "../table/entities";

import { describeError } from "./describeError";
import { UpdateQueue, type OpsBuilder, type UpdateOutcome } from "./updateQueue";

export type EntityCollection = "characters" | "actors" | "items";

/** Where the table tells the user what became of a request (the page's notice line). */
export interface TableNotifier {
  (text: string, kind?: "error" | "info"): void;
  /** A request succeeded: an error about an earlier one is no longer news. */
  succeeded(): void;
}

export class TableApi {
  readonly queue: UpdateQueue;
  private readonly request: RequestFn<TableContract>;

  constructor(
    room: Room<unknown, TableState>,
    private readonly notify: TableNotifier,
  ) {
    this.request = typedRequests<TableContract>(room, toErrorBody);
    this.queue = new UpdateQueue({
      state: () => room.state,
      // Only the GM receives the whole version, and only the GM may send updates.
      version: () => room.state.gm?.version ?? 0,
      onPatch: (listener) => {
        room.onStateChange(listener);
        return () => room.onStateChange.remove(listener);
      },
      send: (baseVersion: number, ops: Operation[]) => this.request("update", { baseVersion, ops }),
    });
  }

  private async attempt<K extends RequestName<TableContract>>(
    name: K,
    ...payload: PayloadArgs<TableContract, K>
  ): Promise<ReplyOf<TableContract, K> | undefined> {
    try {
      const reply = await this.request(name, ...payload);
      this.notify.succeeded();
      return reply;
    } catch (err) {
      this.notify(describeError(err));
      return undefined;
    }
  }

  /** The GM is answered the whole version and hash; a player the public ones only. */
  moveToken(ref: TokenRef, x: number, y: number): Promise<UpdateReply | PublicUpdateReply | undefined> {
    return this.attempt("moveToken", { kind: ref.kind, id: ref.id, x, y });
  }

  create(collection: EntityCollection, fields: Record<string, unknown>): Promise<(UpdateReply & { id: string }) | undefined> {
    return this.attempt("create", { collection, fields });
  }

  /** A rules-plugin action such as damage or heal. */
  action(name: string, target: TokenRef, args: Record<string, unknown>): Promise<UpdateReply | undefined> {
    return this.attempt("action", { name, target, args });
  }

  encounter(command: EncounterCommand): Promise<UpdateReply | undefined> {
    return this.attempt("encounter", command);
  }

  roll(expression: string, label: string, secret: boolean): Promise<RollReply | undefined> {
    return this.attempt("roll", secret ? { expression, label, secret } : { expression, label });
  }

  /**
   * Queues a GM edit. `what` names it for the messages ("Goblin's hp"); the outcome is told to
   * the user unless it simply applied.
   */
  async edit(what: string, build: OpsBuilder): Promise<UpdateOutcome> {
    const outcome = await this.queue.enqueue(build);
    if (outcome.status === "applied") {
      this.notify.succeeded();
    } else if (outcome.status === "stale") {
      this.notify(`Your change to ${what} was not applied: it changed meanwhile (or is gone). Look again and redo it if still wanted.`);
    } else if (outcome.status === "unchanged") {
      this.notify(`Nothing to change: ${what} already has those values.`, "info");
    } else if (outcome.status === "failed") {
      const retried = outcome.error.code === "VERSION_CONFLICT" ? ` (tried ${outcome.attempts} times)` : "";
      this.notify(`${describeError(outcome.error)}${retried}`);
    }
    return outcome;
  }
}

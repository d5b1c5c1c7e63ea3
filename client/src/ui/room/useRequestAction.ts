/** A request sent from a button: its refusal is told in words (so handlers never catch); its success clears an earlier error. */
import type { AnyRoomContract, PayloadArgs, RequestName } from "@tavern/shared/contract";
import type { TavernConnection } from "../../net/connection";
import { describeError } from "../../net/describeError";
import type { Notify } from "../notice";

export type RequestAction = <K extends RequestName<AnyRoomContract>>(name: K, ...payload: PayloadArgs<AnyRoomContract, K>) => void;

export function useRequestAction(conn: TavernConnection, notify: Notify): RequestAction {
  return (name, ...payload) =>
    void conn.request(name, ...payload).then(
      () => notify.succeeded(),
      (err: unknown) => notify(describeError(err)),
    );
}

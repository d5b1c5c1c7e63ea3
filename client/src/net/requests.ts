/** Requests of the shared contract to whatever room is joined now: typed replies, ErrorBody failures. */
import { typedRequests, type AnyRoomContract, type RequestFn } from "@tavern/shared/contract";
import { toErrorBody, type ErrorBody } from "@tavern/shared/errors";
import type { JoinedRoom } from "./joined";

export function roomRequests(joined: () => JoinedRoom | undefined): RequestFn<AnyRoomContract> {
  return typedRequests<AnyRoomContract>(
    {
      request: (type, payload) => {
        const room = joined()?.room;
        if (!room) return Promise.reject({ code: "INVALID_PHASE", message: "You are not in a room." } satisfies ErrorBody);
        return room.request(type, payload);
      },
    },
    toErrorBody,
  );
}

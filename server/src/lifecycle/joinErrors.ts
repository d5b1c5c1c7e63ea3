/** Refusals during create and join travel as numbered ServerErrors, which the matchmaker and SDK carry. */
import { ServerError } from "@colyseus/core";
import { JOIN_ERROR_NUMBERS, TavernError } from "@tavern/shared/errors";

export function joinError(err: TavernError): ServerError {
  return new ServerError(JOIN_ERROR_NUMBERS[err.code], err.message);
}

/** A refusal turned into the numbered error the matchmaker carries; anything else as it was. */
export function asJoinError(err: unknown): unknown {
  return err instanceof TavernError ? joinError(err) : err;
}

/** Runs a step of room creation, turning a refusal into the numbered error the matchmaker carries. */
export function catchJoinError<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw asJoinError(err);
  }
}

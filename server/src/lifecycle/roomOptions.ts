/**
 * What a room is created with: the options a client (or the HTTP API) sent, checked, over the
 * room type's defaults; who asked for it (written by the join gate), charged to the creation budget.
 */
import { TavernError } from "@tavern/shared/errors";
import { createRoomOptionsSchema, type RoomConfig } from "@tavern/shared/protocol";
import { defaultRoomConfig, playerLimits } from "@tavern/shared/roomDefaults";
import type { RoomServices } from "../services";
import { applyConfigPatch } from "../domain/lobby/rules";
import { describeZodError } from "../domain/validation";
import { asJoinError, catchJoinError, joinError } from "./joinErrors";
import { callerOf, type Caller } from "./joinGate";

export interface OpeningOptions {
  config: RoomConfig;
  caller: Caller | undefined;
  restoreCode: string | undefined;
}

export async function openingOptions(
  roomType: string,
  options: unknown,
  svc: Pick<RoomServices, "config" | "creationLimit">,
): Promise<OpeningOptions> {
  const parsed = createRoomOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) throw joinError(new TavernError("VALIDATION_ERROR", `Invalid room options: ${describeZodError(parsed.error)}`));
  const caller = callerOf(options);
  if (caller) await svc.creationLimit.take(caller).catch((err: unknown) => Promise.reject(asJoinError(err)));
  const { reconnectGraceSeconds, roomIdleTimeoutSeconds: idleTimeoutSeconds } = svc.config;
  const defaults = defaultRoomConfig(roomType, { reconnectGraceSeconds, idleTimeoutSeconds });
  const config = catchJoinError(() => applyConfigPatch(defaults, parsed.data.config ?? {}, [], playerLimits(roomType)));
  return { config, caller, restoreCode: parsed.data.restoreCode };
}

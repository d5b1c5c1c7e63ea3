/**
 * API keys, for admins (behind the admin credentials): create (the secret is in this reply only),
 * list (never a secret), rotate with a grace period, revoke. `npm run keys` calls these.
 */
import type { Application, RequestHandler } from "express";
import { TavernError } from "@tavern/shared/errors";
import { createApiKeyBodySchema, rotateApiKeyBodySchema } from "@tavern/shared/platform";
import { isRoomCode, normalizeRoomCode } from "@tavern/shared/roomCodes";
import { describeZodError } from "../domain/validation";
import type { AuditKind } from "../persistence/auditLog";
import type { RoomServices } from "../services";

export const ADMIN_KEYS_PATH = "/admin/api-keys";

export function mountAdminKeys(app: Application, svc: RoomServices, adminAuth: RequestHandler): void {
  const audit = (kind: AuditKind, details: Record<string, unknown>) =>
    svc.audit.record({ roomId: "", roomType: "platform", code: "", kind, playerId: "admin", details });
  const parse = <T>(result: { success: true; data: T } | { success: false; error: Parameters<typeof describeZodError>[0] }): T => {
    if (!result.success) throw new TavernError("VALIDATION_ERROR", describeZodError(result.error));
    return result.data;
  };

  app.post(ADMIN_KEYS_PATH, adminAuth, async (req, res) => {
    const body = parse(createApiKeyBodySchema.safeParse(req.body ?? {}));
    if (body.roomCode !== undefined) {
      const code = normalizeRoomCode(body.roomCode);
      if (!isRoomCode(code)) throw new TavernError("VALIDATION_ERROR", `roomCode: "${body.roomCode}" is not a room code.`);
      body.roomCode = code;
    }
    const issued = await svc.apiKeys.create(body);
    audit("api-key-created", { keyId: issued.id, name: issued.name, scopes: issued.scopes, roomCode: issued.roomCode });
    res.status(201).json(issued);
  });

  app.get(ADMIN_KEYS_PATH, adminAuth, async (_req, res) => {
    res.json({ keys: await svc.apiKeys.list() });
  });

  app.post(`${ADMIN_KEYS_PATH}/:id/rotate`, adminAuth, async (req, res) => {
    const { graceSeconds } = parse(rotateApiKeyBodySchema.safeParse(req.body ?? {}));
    const { issued, previous } = await svc.apiKeys.rotate(String(req.params["id"]), graceSeconds);
    audit("api-key-rotated", { keyId: previous.id, newKeyId: issued.id, graceSeconds });
    res.status(201).json({ ...issued, previous });
  });

  app.post(`${ADMIN_KEYS_PATH}/:id/revoke`, adminAuth, async (req, res) => {
    const { view, lineage, lineageEnded } = await svc.apiKeys.revoke(String(req.params["id"]));
    const disabledEndpoints = lineageEnded ? await svc.webhookEndpoints.disableLineage(lineage, "the game's API key was revoked") : 0;
    audit("api-key-revoked", { keyId: view.id, disabledEndpoints });
    res.json(view);
  });
}

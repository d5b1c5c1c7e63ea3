/**
 * Identity that lasts: a token in use is renewed (`POST /api/auth/refresh`, and on join); a guest
 * claims their player id under a user name and password (`/api/auth/claim`) and signs in with it
 * from any browser (`/api/auth/login`); password change and "sign out everywhere" end every
 * earlier token. Attempts are rate-limited per address and per user name, across every process with REDIS_URL.
 */
import type { Application, Request } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { z } from "zod";
import { TavernError } from "@tavern/shared/errors";
import { claimBodySchema, deviceIdSchema, loginBodySchema, passwordChangeBodySchema, type AccountView } from "@tavern/shared/protocol";
import { usernameKey } from "../auth/accounts";
import { describeZodError } from "../domain/validation";
import type { RoomServices } from "../services";
import { bearerToken } from "./bearer";
import { sendError } from "./errors";
import type { PlatformLimiters } from "./platformLimits";

/** Password attempts (claim, login, change) per minute, per client address and per user name. */
export const PASSWORD_ATTEMPTS_PER_MINUTE = 10;

const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new TavernError("VALIDATION_ERROR", describeZodError(parsed.error));
  return parsed.data;
};

export function mountAccountApi(app: Application, svc: RoomServices, limiters: PlatformLimiters): void {
  const limited = (name: string, key: (req: Request) => string) =>
    rateLimit({
      windowMs: 60_000,
      limit: PASSWORD_ATTEMPTS_PER_MINUTE,
      standardHeaders: "draft-6",
      legacyHeaders: false,
      keyGenerator: key,
      ...limiters.storeOptions(`password-rl:${name}`),
      handler: (_req, res) => {
        res.set("Retry-After", "60");
        sendError(res, "RATE_LIMITED", "Too many password attempts: wait a minute and try again.");
      },
    });
  const perAddress = limited("ip", (req) => `ip:${ipKeyGenerator(req.ip ?? "")}`);
  // Spreading guesses over many addresses does not buy more guesses at one user name.
  const perName = limited("name", (req) => `name:${usernameKey(String((req.body as { username?: unknown } | undefined)?.username ?? ""))}`);

  app.get("/api/auth/me", async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    const username = await svc.accounts.usernameOf(me.playerId);
    const view: AccountView = { playerId: me.playerId, name: me.name, expiresAt: new Date(me.expiresAt ?? 0).toISOString() };
    if (username) view.username = username;
    res.json(view);
  });

  app.post("/api/auth/refresh", async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    res.status(201).json(await svc.tokens.renew(me, await svc.accounts.usernameOf(me.playerId)));
  });

  app.post("/api/auth/claim", perAddress, async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    const { username, password } = parse(claimBodySchema, req.body);
    const account = await svc.accounts.claim(me.playerId, username, password);
    res.status(201).json(await svc.tokens.renew({ ...me, tokenVersion: account.tokenVersion }, account.username));
  });

  app.post("/api/auth/login", perAddress, perName, async (req, res) => {
    const { username, password, deviceId } = parse(loginBodySchema, req.body);
    const account = await svc.accounts.login(username, password);
    const device = deviceId === undefined ? undefined : deviceIdSchema.parse(deviceId);
    const session = await svc.tokens.issue(account.username, {
      playerId: account.playerId,
      tokenVersion: account.tokenVersion,
      username: account.username,
      ...(device ? { deviceId: device } : {}),
    });
    res.status(201).json(session);
  });

  app.post("/api/auth/password", perAddress, async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    const { currentPassword, newPassword } = parse(passwordChangeBodySchema, req.body);
    const account = await svc.accounts.changePassword(me.playerId, currentPassword, newPassword);
    // This device stays signed in; every other one must sign in again.
    res.status(201).json(await svc.tokens.renew({ ...me, tokenVersion: account.tokenVersion }, account.username));
  });

  app.post("/api/auth/signout-everywhere", async (req, res) => {
    const me = await svc.tokens.verify(bearerToken(req));
    await svc.accounts.signOutEverywhere(me.playerId);
    res.status(204).end();
  });
}

import basicAuth from "express-basic-auth";
import type { RequestHandler } from "express";

type Compare = (given: string, expected: string) => boolean;

/**
 * Both parts are compared, each in constant time, whatever the first comparison said: answering
 * faster for a wrong user name would tell an attacker when they have guessed the right one.
 */
export function adminCredentialsMatch(
  user: string,
  password: string,
  expected: { user: string; password: string },
  compare: Compare = basicAuth.safeCompare,
): boolean {
  const userMatches = compare(user, expected.user);
  const passwordMatches = compare(password, expected.password);
  return userMatches && passwordMatches;
}

/** HTTP Basic auth for the monitor and admin endpoints (never served open). */
export function adminAuth(user: string, password: string): RequestHandler {
  return basicAuth({
    authorizer: (u: string, p: string) => adminCredentialsMatch(u, p, { user, password }),
    challenge: true,
    realm: "Tavern admin",
  });
}

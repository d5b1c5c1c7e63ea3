/**
 * Where each target of a comparison runs: the server a run starts for it (Tavern, unless given
 * --endpoint, and always the bare Colyseus room and the Socket.IO baselines), the SpaceTarget talking to it, and its
 * /metrics endpoint. The soak and the storm both go through here, so they treat targets alike.
 */
import { bareColyseusTarget } from "./bare/target";
import { socketIoTarget } from "./baseline/target";
import { startBareColyseusServer, startBaselineServer, startServer, type LocalServer } from "./server";
import type { MetricsEndpoint } from "./serverSampler";
import { tavernTarget } from "./space/tavernTarget";
import type { SpaceTarget, TargetName } from "./space/target";

/**
 * Starts the target's server, or none for Tavern when the run was given a Tavern endpoint.
 * `nodeArgs` go to the server's Node (e.g. `--cpu-prof`).
 */
export async function serverFor(
  name: TargetName,
  tavernEndpoint: string | undefined,
  deadline: number,
  nodeArgs: string[] = [],
): Promise<LocalServer | undefined> {
  if (name === "tavern") return tavernEndpoint === undefined ? startServer(deadline, {}, nodeArgs) : undefined;
  if (name === "colyseus") return startBareColyseusServer(deadline, nodeArgs);
  return startBaselineServer(name, deadline, nodeArgs);
}

export function targetAt(name: TargetName, endpoint: string): SpaceTarget {
  if (name === "tavern") return tavernTarget(endpoint);
  if (name === "colyseus") return bareColyseusTarget(endpoint);
  return socketIoTarget(name, endpoint);
}

/**
 * The server's /metrics. The baselines' is open; Tavern's needs the admin's basic auth: the
 * password of the server the run started, else ADMIN_PASSWORD (and ADMIN_USER, default admin)
 * from the environment; undefined without one, and the report then has no server numbers.
 */
export function metricsOf(name: TargetName, endpoint: string, server: LocalServer | undefined): MetricsEndpoint | undefined {
  const metricsUrl = `${endpoint}/metrics`;
  if (name !== "tavern") return { metricsUrl };
  const password = server?.adminPassword ?? process.env["ADMIN_PASSWORD"];
  if (!password) return undefined;
  const user = process.env["ADMIN_USER"] ?? "admin";
  return { metricsUrl, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

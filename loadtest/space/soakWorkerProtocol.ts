/** Messages between the soak's main thread and the worker threads that run its clients. */
import type { SoakProgress } from "./soak";
import type { SoakShare } from "./soakShares";
import type { TargetName } from "./target";

/** A worker's part of the soak (its workerData): plain values, since a SpaceTarget cannot be cloned. */
export interface SoakWorkerJob {
  target: TargetName;
  endpoint: string;
  firstRoom: number;
  rooms: number;
  playersPerRoom: number;
  seconds: number;
  warmupSeconds: number;
  inputsPerSecond: number;
  decodersPerRoom: number | undefined;
  joinConcurrency: number;
  deadline: number;
}

/** Main to worker: open the window at this epoch ms (sent once every worker's rooms are full). */
export interface OpenWindow {
  type: "open";
  at: number;
}

export type FromSoakWorker =
  | { type: "progress"; progress: SoakProgress }
  /** Its rooms are full; it waits for OpenWindow. */
  | { type: "joined" }
  | { type: "done"; share: SoakShare }
  | { type: "failed"; message: string };

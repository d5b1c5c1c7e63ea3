/**
 * A soak worker thread: runs the clients of its rooms (a Soak over them, without a server
 * sampler: the main thread scrapes the server once for all workers), reports its progress, waits
 * for the main thread to open the window, and sends back its result with the window's raw numbers.
 */
import { parentPort, workerData } from "node:worker_threads";
import { targetAt } from "../targetServers";
import { Soak } from "./soak";
import type { FromSoakWorker, OpenWindow, SoakWorkerJob } from "./soakWorkerProtocol";

const PROGRESS_EVERY_MS = 250;

const port = parentPort;
if (!port) throw new Error("soakWorker runs as a worker thread (see soakPool)");
const { job } = workerData as { job: SoakWorkerJob };
const send = (message: FromSoakWorker) => port.postMessage(message);

const soak = new Soak({
  target: targetAt(job.target, job.endpoint),
  firstRoom: job.firstRoom,
  rooms: job.rooms,
  playersPerRoom: job.playersPerRoom,
  seconds: job.seconds,
  warmupSeconds: job.warmupSeconds,
  inputsPerSecond: job.inputsPerSecond,
  joinConcurrency: job.joinConcurrency,
  ...(job.decodersPerRoom === undefined ? {} : { decodersPerRoom: job.decodersPerRoom }),
  deadline: job.deadline,
  windowOpensAt: () =>
    new Promise<number>((resolve) => {
      port.once("message", (message: OpenWindow) => resolve(message.at));
      send({ type: "joined" });
    }),
});
const ticker = setInterval(() => send({ type: "progress", progress: soak.progress }), PROGRESS_EVERY_MS);
try {
  const result = await soak.run();
  send({ type: "progress", progress: soak.progress });
  send({ type: "done", share: { result, window: soak.window() } });
} catch (err) {
  send({ type: "failed", message: (err as Error).message });
} finally {
  clearInterval(ticker);
}

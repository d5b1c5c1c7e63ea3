/**
 * The soak run over worker threads: each worker runs whole rooms' clients (see soakWorker), the
 * main thread waits until every room is full, opens all windows at the same moment, scrapes the
 * server and measures the process during the window, and merges the workers' results into one.
 * One thread cannot decode 1,000 clients' copies; several can, cores permitting.
 */
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { sleep } from "../clientKit";
import { ServerSampler, type SamplerSettings } from "../serverSampler";
import type { SoakProgress, SoakResult } from "./soak";
import { joinConcurrencyPerWorker, mergeSoakShares, splitRooms, type SoakShare } from "./soakShares";
import type { FromSoakWorker, OpenWindow, SoakWorkerJob } from "./soakWorkerProtocol";
import type { SpaceTarget } from "./target";

export interface SoakPoolSettings {
  target: SpaceTarget;
  rooms: number;
  playersPerRoom: number;
  seconds: number;
  warmupSeconds: number;
  inputsPerSecond: number;
  decodersPerRoom?: number;
  /** Joins in flight at once over all workers. */
  joinConcurrency: number;
  deadline: number;
  sampler?: SamplerSettings;
  workers: number;
}

const PHASES: readonly SoakProgress["phase"][] = ["join", "warm-up", "measure", "leave", "done"];

/** The workers' progress as one: the phase of the slowest, counts summed, the worst last second. */
export function combineProgress(parts: readonly SoakProgress[]): SoakProgress {
  const phase = PHASES[Math.min(...parts.map((p) => PHASES.indexOf(p.phase)))] ?? "join";
  const p99s = parts.map((p) => p.lastSecondP99).filter((v): v is number => v !== null);
  return {
    phase,
    joined: parts.reduce((n, p) => n + p.joined, 0),
    errors: parts.reduce((n, p) => n + p.errors, 0),
    drops: parts.reduce((n, p) => n + p.drops, 0),
    lastSecondP99: p99s.length === 0 ? null : Math.max(...p99s),
    secondsMeasured: Math.min(...parts.map((p) => p.secondsMeasured)),
  };
}

function idleProgress(): SoakProgress {
  return { phase: "join", joined: 0, errors: 0, drops: 0, lastSecondP99: null, secondsMeasured: 0 };
}

interface Handle {
  worker: Worker;
  progress: SoakProgress;
  /** Its rooms are full (or its run already ended). */
  joined: Promise<void>;
  done: Promise<SoakShare>;
}

export class SoakPool {
  private readonly handles: Handle[] = [];

  constructor(private readonly settings: SoakPoolSettings) {}

  get progress(): SoakProgress {
    if (this.handles.length === 0) return idleProgress();
    return combineProgress(this.handles.map((h) => h.progress));
  }

  async run(): Promise<SoakResult> {
    const s = this.settings;
    const startedAt = new Date().toISOString();
    const sampler = s.sampler ? new ServerSampler(s.sampler) : undefined;
    const perWorker = joinConcurrencyPerWorker(s.joinConcurrency, s.workers);
    for (const share of splitRooms(s.rooms, s.workers)) this.handles.push(this.spawn({ ...this.jobBase(perWorker), ...share }));
    // A worker that crashes rejects its `done`; racing every wait against that stops the run at once.
    const failure = Promise.all(this.handles.map((h) => h.done)).then(
      () => new Promise<never>(() => {}),
      (err: unknown) => Promise.reject(err),
    );
    failure.catch(() => {}); // observed by the races below; never an unhandled rejection
    try {
      await Promise.race([Promise.all(this.handles.map((h) => h.joined)), failure]);
      const opensAt = Date.now() + s.warmupSeconds * 1000;
      const open: OpenWindow = { type: "open", at: opensAt };
      for (const h of this.handles) h.worker.postMessage(open);

      await Promise.race([sleep(Math.max(0, opensAt - Date.now())), failure]);
      const cpuAtStart = process.cpuUsage();
      const eluAtStart = performance.eventLoopUtilization();
      sampler?.start();
      const closesAt = Math.min(opensAt + s.seconds * 1000, s.deadline);
      await Promise.race([sleep(Math.max(0, closesAt - Date.now())), failure]);
      const windowMs = Math.max(1, Date.now() - opensAt);
      const cpu = process.cpuUsage(cpuAtStart);
      const mainElu = performance.eventLoopUtilization(eluAtStart).utilization;
      await sampler?.stop();

      const shares = await Promise.race([Promise.all(this.handles.map((h) => h.done)), failure]);
      return mergeSoakShares(shares, {
        target: s.target.name,
        endpoint: s.target.endpoint,
        startedAt,
        rooms: s.rooms,
        playersPerRoom: s.playersPerRoom,
        server: sampler?.samples ?? [],
        serverScrapeFailures: sampler?.failures ?? 0,
        serverLoopLagP99Ms: sampler ? sampler.windowLagP99Ms() : null,
        cpuPercent: ((cpu.user + cpu.system) / 1000 / windowMs) * 100,
        mainEventLoopUtilization: mainElu,
      });
    } finally {
      await sampler?.stop();
      // A worker that sent its result has closed its clients; terminate ends whatever it still holds.
      await Promise.all(this.handles.map((h) => h.worker.terminate()));
    }
  }

  private jobBase(joinConcurrency: number): Omit<SoakWorkerJob, "firstRoom" | "rooms"> {
    const s = this.settings;
    return {
      target: s.target.name,
      endpoint: s.target.endpoint,
      playersPerRoom: s.playersPerRoom,
      seconds: s.seconds,
      warmupSeconds: s.warmupSeconds,
      inputsPerSecond: s.inputsPerSecond,
      decodersPerRoom: s.decodersPerRoom,
      joinConcurrency,
      deadline: s.deadline,
    };
  }

  private spawn(job: SoakWorkerJob): Handle {
    const entry = new URL("./soakWorker.ts", import.meta.url).href;
    const worker = new Worker(new URL("./soakWorkerBoot.mjs", import.meta.url), { workerData: { entry, job } });
    let markJoined = () => {};
    const joined = new Promise<void>((resolve) => (markJoined = resolve));
    const partial: Omit<Handle, "done"> = { worker, progress: idleProgress(), joined };
    const done = new Promise<SoakShare>((resolve, reject) => {
      const where = `soak worker for rooms ${job.firstRoom}-${job.firstRoom + job.rooms - 1}`;
      worker.on("message", (message: FromSoakWorker) => {
        if (message.type === "progress") partial.progress = message.progress;
        else if (message.type === "joined") markJoined();
        else if (message.type === "done") {
          markJoined();
          resolve(message.share);
        } else reject(new Error(`${where}: ${message.message}`));
      });
      worker.on("error", (err) => reject(new Error(`${where}: ${err.message}`)));
      // After "done" this settles nothing (a promise settles once); before it, the worker died.
      worker.on("exit", (code) => reject(new Error(`${where} exited (code ${code}) before sending its result`)));
    });
    return Object.assign(partial, { done });
  }
}

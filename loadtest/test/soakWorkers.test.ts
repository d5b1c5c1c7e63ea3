import assert from "node:assert/strict";
import { saturationWarning } from "../generatorUse";
import { buildSoakReport, renderSoakMarkdown, renderSoakSummary } from "../soakReport";
import { parseSoakOptions } from "../soakOptions";
import type { SoakProgress, SoakResult, SoakWindow } from "../space/soak";
import { combineProgress, SoakPool } from "../space/soakPool";
import { joinConcurrencyPerWorker, mergeSoakShares, splitRooms, type MergeContext, type SoakShare } from "../space/soakShares";
import { bareColyseusTarget } from "../bare/target";
import { summarize } from "../stats";

function share(overrides: Partial<SoakResult>, window: SoakWindow): SoakShare {
  const result: SoakResult = {
    target: "tavern",
    endpoint: "http://127.0.0.1:1",
    startedAt: "2026-01-02T03:04:05.678Z",
    rooms: 1,
    playersPerRoom: 2,
    clients: 2,
    decodingClients: 2,
    inputsPerSecond: 10,
    joined: 2,
    joinErrors: {},
    firstJoinError: null,
    joinPhaseMs: 100,
    measuredSeconds: 2,
    inputsSent: 40,
    latencyMs: summarize(window.latencyPerSecond.flat()),
    bytesPerClientPerSecond: null,
    timeline: [],
    server: [],
    serverScrapeFailures: 0,
    serverLoopLagP99Ms: null,
    loadScript: { cpuPercent: 180, eventLoopUtilization: 0.5, workers: [] },
    drops: 0,
    firstDrop: null,
    visibilityOk: 2,
    visibilityProblems: [],
    timedOut: null,
    ...overrides,
  };
  return { result, window };
}

const context: MergeContext = {
  target: "tavern",
  endpoint: "http://127.0.0.1:2567",
  startedAt: "2026-01-02T03:04:00.000Z",
  rooms: 2,
  playersPerRoom: 2,
  server: [{ atSeconds: 1, cpuPercent: 40, rssMb: 100, heapUsedMb: 20, eventLoopLagP99Ms: 3 }],
  serverScrapeFailures: 1,
  serverLoopLagP99Ms: 7,
  cpuPercent: 150,
  mainEventLoopUtilization: 0.01,
};

describe("soak over worker threads: options", () => {
  it("runs in the script's own thread unless --workers is given", () => {
    const parsed = parseSoakOptions([]);
    assert.equal(parsed.kind === "soak" && parsed.options.workers, 1);
    const two = parseSoakOptions(["--rooms", "50", "--players", "20", "--workers", "2"]);
    assert.equal(two.kind === "soak" && two.options.workers, 2);
  });

  it("refuses no workers, too many, more workers than rooms, and non-numbers", () => {
    for (const [args, pattern] of [
      [["--workers", "0"], /--workers must be a whole number from 1 to 16/],
      [["--workers", "17", "--rooms", "20"], /--workers must be a whole number from 1 to 16/],
      [["--workers", "1.5"], /--workers must be/],
      [["--rooms", "3", "--workers", "4"], /--workers must be at most --rooms \(3\)/],
    ] as const) {
      const parsed = parseSoakOptions(args);
      assert.equal(parsed.kind, "error", args.join(" "));
      assert.match(parsed.kind === "error" ? parsed.message : "", pattern);
    }
  });
});

describe("soak over worker threads: splitting", () => {
  it("gives each worker whole, contiguous rooms, sizes differing by at most one", () => {
    assert.deepEqual(splitRooms(5, 2), [
      { firstRoom: 0, rooms: 3 },
      { firstRoom: 3, rooms: 2 },
    ]);
    const fifty = splitRooms(50, 3);
    assert.deepEqual(
      fifty.map((s) => s.rooms),
      [17, 17, 16],
    );
    assert.equal(fifty[2]!.firstRoom + fifty[2]!.rooms, 50);
    assert.deepEqual(splitRooms(4, 1), [{ firstRoom: 0, rooms: 4 }]);
    assert.throws(() => splitRooms(2, 3), RangeError);
  });

  it("splits the join concurrency so the total in flight stays about the same", () => {
    assert.equal(joinConcurrencyPerWorker(20, 2), 10);
    assert.equal(joinConcurrencyPerWorker(5, 2), 3);
    assert.equal(joinConcurrencyPerWorker(1, 4), 1);
  });
});

describe("soak over worker threads: merging results", () => {
  const a = share(
    {
      joinErrors: { ROOM_FULL: 1 },
      firstJoinError: null,
      joinPhaseMs: 300,
      loadScript: { cpuPercent: 180, eventLoopUtilization: 0.4, workers: [] },
    },
    { latencyPerSecond: [[1, 2], [3]], bytesPerSecond: [100, 200], windowBytes: 300, connectedClients: 2 },
  );
  const b = share(
    {
      joined: 1,
      decodingClients: 1,
      visibilityOk: 0,
      visibilityProblems: ["soak-1-0 sees 1 players, expected 2"],
      joinErrors: { ROOM_FULL: 2, TIMEOUT: 1 },
      firstJoinError: "soak-1-1: room full",
      drops: 1,
      firstDrop: "soak-1-0: dropped",
      joinPhaseMs: 500,
      inputsSent: 20,
      loadScript: { cpuPercent: 181, eventLoopUtilization: 0.95, workers: [] },
    },
    { latencyPerSecond: [[100], [4, 5, 6]], bytesPerSecond: [50, 50], windowBytes: 100, connectedClients: 1 },
  );
  const merged = mergeSoakShares([a, b], context);

  it("takes percentiles over every worker's samples, not an average of theirs", () => {
    assert.deepEqual(merged.latencyMs, summarize([1, 2, 3, 100, 4, 5, 6]));
    assert.equal(merged.latencyMs.max, 100);
    assert.deepEqual(
      merged.timeline.map((t) => t.latency.count),
      [3, 4],
    );
    assert.equal(merged.timeline[0]!.latency.max, 100);
  });

  it("sums counts and bytes, and divides bytes by every connected client", () => {
    assert.equal(merged.clients, 4);
    assert.equal(merged.joined, 3);
    assert.equal(merged.decodingClients, 3);
    assert.equal(merged.visibilityOk, 2);
    assert.equal(merged.inputsSent, 60);
    assert.equal(merged.drops, 1);
    assert.deepEqual(merged.joinErrors, { ROOM_FULL: 3, TIMEOUT: 1 });
    assert.equal(merged.bytesPerClientPerSecond, 400 / 3 / 2);
    assert.deepEqual(
      merged.timeline.map((t) => t.bytesPerClient),
      [50, 250 / 3],
    );
    assert.equal(merged.joinPhaseMs, 500);
  });

  it("keeps the first problem of the lowest worker that had one", () => {
    assert.equal(merged.firstJoinError, "soak-1-1: room full");
    assert.equal(merged.firstDrop, "soak-1-0: dropped");
    assert.deepEqual(merged.visibilityProblems, ["soak-1-0 sees 1 players, expected 2"]);
    assert.equal(mergeSoakShares([b, share({ timedOut: "joining" }, a.window)], context).timedOut, "joining");
  });

  it("takes the run's shape, server samples and process CPU from the main thread, ELU from each worker", () => {
    assert.equal(merged.rooms, 2);
    assert.equal(merged.endpoint, context.endpoint);
    assert.equal(merged.serverLoopLagP99Ms, 7);
    assert.equal(merged.serverScrapeFailures, 1);
    assert.deepEqual(merged.server, context.server);
    assert.deepEqual(merged.loadScript, { cpuPercent: 150, eventLoopUtilization: 0.01, workers: [0.4, 0.95] });
  });

  it("fails the merged run when one worker's client saw the wrong room, and warns of a saturated worker", () => {
    const report = buildSoakReport([merged]);
    assert.equal(report.passed, false);
    assert.match(report.summaries[0]!.failures.join("\n"), /1 of 3 decoding clients did not see exactly their room/);
    const summary = renderSoakSummary(report, []);
    assert.match(summary, /2 worker threads\): process CPU 150% of one core, event-loop utilization 0\.40, 0\.95/);
    assert.match(summary, /WARNING load generator saturated: worker 1 /);
    assert.match(renderSoakMarkdown(report, "c.svg"), /## Load generator saturated/);
  });
});

describe("soak over worker threads: the generator's use", () => {
  it("warns only above the threshold, naming the main thread without workers", () => {
    assert.equal(saturationWarning({ cpuPercent: 50, eventLoopUtilization: 0.9, workers: [] }), null);
    assert.match(saturationWarning({ cpuPercent: 99, eventLoopUtilization: 0.97, workers: [] }) ?? "", /the load script's thread/);
    assert.match(saturationWarning({ cpuPercent: 99, eventLoopUtilization: 0, workers: [0.95, null, 0.99] }) ?? "", /workers 0, 2 /);
    assert.equal(saturationWarning({ cpuPercent: null, eventLoopUtilization: null, workers: [null] }), null);
  });

  it("combines workers' progress: the slowest phase, summed counts, the worst second", () => {
    const p = (overrides: Partial<SoakProgress>): SoakProgress => ({
      phase: "measure",
      joined: 10,
      errors: 0,
      drops: 0,
      lastSecondP99: 5,
      secondsMeasured: 3,
      ...overrides,
    });
    assert.deepEqual(combineProgress([p({ phase: "warm-up", secondsMeasured: 0, lastSecondP99: null }), p({ errors: 2, drops: 1 })]), {
      phase: "warm-up",
      joined: 20,
      errors: 2,
      drops: 1,
      lastSecondP99: 5,
      secondsMeasured: 0,
    });
  });
});

describe("soak over worker threads: real threads", function () {
  this.timeout(15_000);

  it("starts the TypeScript workers, waits for both, and merges what they report", async () => {
    // Nothing listens on port 1: every join fails at once, so this checks the threads and the
    // message flow (start, joined, window, result) in seconds, without a server.
    const pool = new SoakPool({
      target: bareColyseusTarget("http://127.0.0.1:1"),
      rooms: 3,
      playersPerRoom: 2,
      seconds: 1,
      warmupSeconds: 0,
      inputsPerSecond: 10,
      joinConcurrency: 4,
      deadline: Date.now() + 10_000,
      workers: 2,
    });
    const result = await pool.run();
    assert.equal(result.clients, 6);
    assert.equal(result.joined, 0);
    assert.equal(
      Object.values(result.joinErrors).reduce((a, b) => a + b, 0),
      3,
      "one failed create per room; joiners of a room never created are not tried",
    );
    assert.equal(result.loadScript.workers.length, 2);
    assert.equal(result.timedOut, null);
    assert.equal(pool.progress.phase, "done");
  });
});

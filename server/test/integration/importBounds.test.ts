/**
 * What an import may cost: its size, entity count and log length are bounded, the caller is known
 * before the body is read, imports are rate-limited, the same file is not imported twice, and a
 * long replay leaves the event loop to everyone else between its steps.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import type { ImportLimits } from "../../src/config";
import { mountCampaign } from "../../src/http/campaign";
import { errorHandler } from "../../src/http/errors";
import { TableSession } from "../../src/domain/table/session";
import { buildExport } from "../support/exportFile";
import { harness, httpJson, signIn } from "../support/harness";
import { platformLimiters } from "../../src/http/platformLimits";

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** The import route of the shared server's services, with these limits, on a port of its own. */
async function importServer(limits: Partial<ImportLimits>): Promise<{ url: string; close: () => Promise<void> }> {
  const { tavern } = await harness();
  const config = tavern.services.config;
  const svc = { ...tavern.services, config: { ...config, importLimits: { ...config.importLimits, ...limits } } };
  const app = express();
  // Counted in this route's own memory, as a single process counts them.
  mountCampaign(app, svc, platformLimiters(config.platformLimits));
  app.use(errorHandler(svc.logger));
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { code?: string; message?: string; details?: Record<string, unknown> };
}

/**
 * Starts an upload that declares `declaredLength` bytes but sends only `sent`, and waits for an
 * answer: a server that reads the body first never answers (undefined after `waitMs`).
 */
function partialUpload(
  url: string,
  headers: Record<string, string>,
  declaredLength: number,
  sent: string,
  waitMs = 3000,
): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const req = http.request(`${url}/api/sessions/import`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(declaredLength), ...headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(undefined);
    }, waitMs);
    req.on("error", () => undefined); // the server may close while the upload is open
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as Answer["body"] });
      });
    });
    req.write(sent);
  });
}

/** Posts `text` chunked (no Content-Length), so its size is only known while it is read. */
function chunkedUpload(url: string, token: string, text: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/sessions/import`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth(token) },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(body) as Answer["body"] }));
    });
    for (let i = 0; i < text.length; i += 16_384) req.write(text.slice(i, i + 16_384));
    req.end();
  });
}

async function sessionsOf(token: string): Promise<Array<{ id: string; code: string; title: string }>> {
  return (await httpJson("GET", "/api/sessions", undefined, auth(token))).body.sessions;
}

describe("import bounds", function () {
  this.timeout(60_000);
  let server: Awaited<ReturnType<typeof importServer>> | undefined;
  before(async () => {
    await harness();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("refuses a body over IMPORT_MAX_BYTES, declared or counted, naming the limit, and stores nothing", async () => {
    server = await importServer({ maxBytes: 100_000 });
    const gm = await signIn("heavy-gm");
    const file = JSON.stringify(buildExport({ entities: 100, updates: 3, notesLength: 1500, tag: "heavy" }));
    assert.ok(file.length > 100_000);

    const declared = await partialUpload(server.url, auth(gm.token), file.length, file.slice(0, 1000));
    assert.ok(declared, "the declared length is refused before the body is read");
    assert.equal(declared.status, 400);
    assert.equal(declared.body.code, "VALIDATION_ERROR");
    assert.match(declared.body.message ?? "", /at most 100000 bytes \(IMPORT_MAX_BYTES\)/);
    assert.equal(declared.headers.connection, "close");

    const counted = await chunkedUpload(server.url, gm.token, file);
    assert.equal(counted.status, 400);
    assert.match(counted.body.message ?? "", /IMPORT_MAX_BYTES/);
    assert.deepEqual(await sessionsOf(gm.token), []);
  });

  it("refuses a snapshot over IMPORT_MAX_ENTITIES and a log over IMPORT_MAX_UPDATES, naming the limit, and stores nothing", async () => {
    server = await importServer({ maxEntities: 30, maxUpdates: 5 });
    const gm = await signIn("crowded-gm");
    const post = (file: unknown) =>
      fetch(`${server!.url}/api/sessions/import`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth(gm.token) },
        body: JSON.stringify(file),
      });

    const crowded = await post(buildExport({ entities: 31, updates: 1, tag: "crowded" }));
    assert.equal(crowded.status, 400);
    const a = (await crowded.json()) as Answer["body"];
    assert.equal(a.code, "VALIDATION_ERROR");
    assert.match(a.message ?? "", /at most 30 characters, actors and items \(IMPORT_MAX_ENTITIES\); this file has 31/);
    assert.deepEqual(a.details, { limit: "IMPORT_MAX_ENTITIES", max: 30, actual: 31 });

    const long = await post(buildExport({ entities: 10, updates: 6, tag: "long" }));
    assert.equal(long.status, 400);
    const b = (await long.json()) as Answer["body"];
    assert.match(b.message ?? "", /at most 5 updates after its snapshot \(IMPORT_MAX_UPDATES\); this file has 6/);

    const within = await post(buildExport({ entities: 30, updates: 5, tag: "within" }));
    assert.equal(within.status, 201, "a file at the limits is imported");
    assert.equal((await sessionsOf(gm.token)).length, 1);
  });

  it("checks the token before reading the body: an unknown caller is refused while its upload is still open", async () => {
    server = await importServer({});
    const declared = 5 * 1024 * 1024;
    const anonymous = await partialUpload(server.url, {}, declared, '{"format":');
    assert.ok(anonymous, "refused without waiting for the 5 MB body");
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.code, "UNAUTHORIZED");
    assert.equal(anonymous.headers.connection, "close", "the rest of the upload is not read");
    const forged = await partialUpload(server.url, auth("not-a-token"), declared, '{"format":');
    assert.equal(forged?.status, 401);
  });

  it("limits imports per player and per address, counting refused files too", async () => {
    server = await importServer({ perPlayerPerHour: 3, perIpPerHour: 5 });
    const [a, b] = [await signIn("eager-gm"), await signIn("neighbour-gm")];
    const post = async (token: string) => {
      const res = await fetch(`${server!.url}/api/sessions/import`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth(token) },
        body: "{}",
      });
      return { status: res.status, body: (await res.json()) as Answer["body"] };
    };
    for (let i = 0; i < 3; i++) assert.equal((await post(a.token)).status, 400, "not an export, but counted");
    const player = await post(a.token);
    assert.equal(player.status, 429);
    assert.equal(player.body.code, "RATE_LIMITED");
    assert.match(player.body.message ?? "", /At most 3 imports an hour per player \(IMPORT_RATE_PER_PLAYER_PER_HOUR\)/);

    assert.equal((await post(b.token)).status, 400, "another player from the same address still may");
    const address = await post(b.token);
    assert.equal(address.status, 429);
    assert.match(address.body.message ?? "", /At most 5 imports an hour come from one address \(IMPORT_RATE_PER_IP_PER_HOUR\)/);
  });

  it("refuses the same file imported again by the same player, naming the session it became; another player gets a copy", async () => {
    const gm = await signIn("twice-gm");
    const file = buildExport({ entities: 20, updates: 4, tag: "twice" });
    const first = await httpJson("POST", "/api/sessions/import", file, auth(gm.token));
    assert.equal(first.status, 201, JSON.stringify(first.body));

    for (const again of [
      JSON.stringify(file),
      JSON.stringify(file, null, 2),
      JSON.stringify({ ...file, exportedAt: new Date().toISOString() }),
    ]) {
      const refused = await httpJson("POST", "/api/sessions/import", again, auth(gm.token));
      assert.equal(refused.status, 400);
      assert.equal(refused.body.code, "VALIDATION_ERROR");
      assert.equal(refused.body.message, `This file was imported already: it is session ${first.body.id} (code ${first.body.code}).`);
      assert.deepEqual(refused.body.details, { reason: "already imported", sessionId: first.body.id, code: first.body.code });
    }
    assert.deepEqual(
      (await sessionsOf(gm.token)).map((s) => s.id),
      [first.body.id],
      "nothing more was stored",
    );

    const changed = structuredClone(file);
    changed.journal = [{ kind: "chat", playerId: "p1", name: "Aria", text: "one more line", at: 1 }];
    assert.equal(
      (await httpJson("POST", "/api/sessions/import", changed, auth(gm.token))).status,
      201,
      "a file that differs is another import",
    );

    const other = await signIn("other-gm");
    assert.equal((await httpJson("POST", "/api/sessions/import", file, auth(other.token))).status, 201);
  });

  it("two posts of one file at once store it once; the other is told which session it became", async () => {
    const gm = await signIn("double-click-gm");
    const file = buildExport({ entities: 200, updates: 40, tag: "double click" });
    const [x, y] = await Promise.all([0, 1].map(() => httpJson("POST", "/api/sessions/import", file, auth(gm.token))));
    const answers = [x!, y!].sort((p, q) => p.status - q.status);
    assert.deepEqual(
      answers.map((r) => r.status),
      [201, 400],
      JSON.stringify(answers.map((r) => r.body)),
    );
    assert.equal(answers[1]!.body.details?.sessionId, answers[0]!.body.id);
    assert.equal((await sessionsOf(gm.token)).length, 1);
  });

  it("answers other requests between the replay steps of a long import", async () => {
    const gm = await signIn("patient-gm");
    const updates = 300;
    const file = JSON.stringify(buildExport({ entities: 1000, updates, notesLength: 200, tag: "long replay" }));

    // The server runs in this process: count replayed updates as they happen.
    const original = TableSession.prototype.replay;
    let replayed = 0;
    TableSession.prototype.replay = function (this: TableSession, record) {
      original.call(this, record);
      replayed++;
    };
    try {
      let settled = false;
      const importing = httpJson("POST", "/api/sessions/import", file, auth(gm.token)).finally(() => (settled = true));
      const seenMidReplay: number[] = [];
      while (!settled) {
        const health = await httpJson("GET", "/healthz");
        assert.equal(health.status, 200);
        if (replayed > 0 && replayed < updates) seenMidReplay.push(replayed);
      }
      const imported = await importing;
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      assert.equal(replayed, updates);
      assert.ok(seenMidReplay.length > 0, "/healthz was answered while the replay was half done");
    } finally {
      TableSession.prototype.replay = original;
    }
  });
});

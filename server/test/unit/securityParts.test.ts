import assert from "node:assert/strict";
import express from "express";
import { matchMaker } from "@colyseus/core";
import { TavernError } from "@tavern/shared/errors";
import { MAX_PAYLOAD_DEPTH, payloadProblem, textProblem } from "@tavern/shared/text";
import { closeReasonFor } from "../../src/lifecycle/closeReasons";
import { RoomCreationLimit } from "../../src/lifecycle/creationLimit";
import { checkPrivateEntry } from "../../src/domain/lobby/rules";
import { ExceptionBurst } from "../../src/observability/processGuard";
import { corsHeadersFor, installCors } from "../../src/http/cors";
import { scrubError } from "../../src/logger";
import { loadConfig } from "../../src/config";
import { adminCredentialsMatch } from "../../src/http/adminAuth";

describe("safe text and payload shape", () => {
  it("refuses NUL and lone surrogates, accepts real text (emoji included)", () => {
    assert.equal(textProblem("Mira 🐉 ß"), undefined);
    assert.match(textProblem("a\u0000b")!, /NUL/);
    assert.match(textProblem("X\ud800Y")!, /surrogate/);
    assert.match(textProblem("\udc00")!, /surrogate/);
  });

  it("finds deep nesting and bad strings anywhere, keys included, without recursion", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.match(payloadProblem(deep)!, /nested deeper/);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_PAYLOAD_DEPTH; i++) ok = { k: ok };
    assert.equal(payloadProblem(ok), undefined);
    assert.match(payloadProblem({ a: [{ b: "x\u0000" }] })!, /NUL/);
    assert.match(payloadProblem({ ["k\ud800"]: 1 })!, /key/);
  });
});

describe("close reasons", () => {
  it("are fixed words chosen by the code, never what a caller passed", () => {
    assert.equal(closeReasonFor(4002), "closed by the server");
    assert.equal(closeReasonFor(4101), "kicked");
    assert.equal(closeReasonFor(1000), undefined);
    for (const code of [4000, 4002, 4100, 4101, 4102]) assert.ok(Buffer.byteLength(closeReasonFor(code) ?? "") <= 123);
  });
});

describe("room creation budget", () => {
  it("limits each player and each address, over any mix of paths", async () => {
    const limit = new RoomCreationLimit(3, 5);
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) await limit.take({ playerId: "p1", ip: "10.0.0.1" }, t);
    await assert.rejects(
      limit.take({ playerId: "p1", ip: "10.0.0.1" }, t),
      (e: unknown) => e instanceof TavernError && e.code === "RATE_LIMITED",
    );
    await limit.take({ playerId: "p2", ip: "10.0.0.1" }, t);
    await assert.rejects(
      limit.take({ playerId: "p3", ip: "10.0.0.1" }, t),
      /Too many rooms/,
      "the address's budget is spent by several players",
    );
    await limit.take({ playerId: "p1", ip: "10.0.0.2" }, t + 20_000);
  });

  it("with a shared count, two processes grant one budget between them, not one each", async () => {
    const counts = new Map<string, number>();
    const shared = async (key: string) => {
      counts.set(key, (counts.get(key) ?? 0) + 1);
      return counts.get(key)!;
    };
    const [a, b] = [new RoomCreationLimit(3, 5, shared), new RoomCreationLimit(3, 5, shared)];
    const t = 1_000_000;
    await a.take({ playerId: "p1", ip: "10.0.0.1" }, t);
    await b.take({ playerId: "p1", ip: "10.0.0.1" }, t);
    await a.take({ playerId: "p1", ip: "10.0.0.1" }, t);
    // Each process's own bucket still holds tokens for p1; the shared count is spent.
    await assert.rejects(
      b.take({ playerId: "p1", ip: "10.0.0.1" }, t),
      (e: unknown) => e instanceof TavernError && e.code === "RATE_LIMITED",
    );
    await b.take({ playerId: "p2", ip: "10.0.0.1" }, t);
    await assert.rejects(a.take({ playerId: "p3", ip: "10.0.0.1" }, t), /Too many rooms/, "the address's shared count is spent too");
  });
});

describe("private rooms", () => {
  it("admit the host, or whoever names the code; anyone else is told there is no such room", () => {
    const base = { isPrivate: true, code: "ACDEFG" };
    checkPrivateEntry({ ...base, offeredCode: undefined, isHost: true });
    checkPrivateEntry({ ...base, offeredCode: "ACDEFG", isHost: false });
    checkPrivateEntry({ isPrivate: false, code: "ACDEFG", offeredCode: "", isHost: false });
    for (const offeredCode of [undefined, "", "ACDEFH"]) {
      assert.throws(
        () => checkPrivateEntry({ ...base, offeredCode, isHost: false }),
        (e: unknown) => e instanceof TavernError && e.code === "NOT_FOUND",
      );
    }
  });
});

describe("process guard", () => {
  it("tolerates a few uncaught exceptions, gives up on a burst", () => {
    const burst = new ExceptionBurst(3, 1000);
    assert.equal(burst.record(0), false);
    assert.equal(burst.record(10), false);
    assert.equal(burst.record(20), false);
    assert.equal(burst.record(2000), false, "old ones fell out of the window");
    assert.equal(burst.record(2001), false);
    assert.equal(burst.record(2002), false);
    assert.equal(burst.record(2003), true);
  });
});

describe("CORS grants", () => {
  it("go to listed origins only, without credentials", () => {
    const allowed = new Set(["https://game.example"]);
    assert.deepEqual(corsHeadersFor("https://evil.example", allowed), { Vary: "Origin" });
    assert.deepEqual(corsHeadersFor(null, allowed), { Vary: "Origin" });
    const grant = corsHeadersFor("https://game.example", allowed);
    assert.equal(grant["Access-Control-Allow-Origin"], "https://game.example");
    assert.equal(grant["Access-Control-Allow-Credentials"], undefined);
    assert.equal(grant["Vary"], "Origin");
    assert.deepEqual(corsHeadersFor("https://game.example", new Set()), {}, "no origins listed: nothing varies by origin");
  });

  it("what Colyseus sends after installCors (its defaults merged with the grant) never has `*` or credentials", () => {
    const controller = matchMaker.controller as { DEFAULT_CORS_HEADERS: Record<string, string> };
    for (const origins of [[], ["https://game.example"]]) {
      installCors(express(), origins);
      for (const origin of ["https://game.example", "https://evil.example", "null", undefined]) {
        const headers = new Headers(origin ? { origin } : {});
        // The merge Colyseus's router does for every answer (router/index.ts, router/node.ts).
        const sent = { ...controller.DEFAULT_CORS_HEADERS, ...matchMaker.controller.getCorsHeaders(headers) };
        assert.notEqual(sent["Access-Control-Allow-Origin"], "*", `${origins.length} origins, ${origin}`);
        assert.equal(sent["Access-Control-Allow-Credentials"], undefined, `${origins.length} origins, ${origin}`);
      }
    }
  });

  it("CORS_ORIGINS refuses a wildcard or a path", () => {
    assert.deepEqual(loadConfig({ CORS_ORIGINS: "https://a.example, http://localhost:5173" }).corsOrigins, [
      "https://a.example",
      "http://localhost:5173",
    ]);
    assert.throws(() => loadConfig({ CORS_ORIGINS: "*" }), /CORS_ORIGINS/);
    assert.throws(() => loadConfig({ CORS_ORIGINS: "https://a.example/path" }), /CORS_ORIGINS/);
  });
});

describe("logged errors", () => {
  it("never carry a query's bound values or the row a database error quotes", () => {
    const driver = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: "22021",
      detail: "Key (title)=(secret goblin) exists",
      where: "row secret goblin",
    });
    const wrapped = Object.assign(new Error('Failed query: insert into "sessions" values ($1)\nparams: secret goblin,42'), {
      query: "insert ...",
      params: ["secret goblin", 42],
      cause: driver,
    });
    const text = JSON.stringify(scrubError(wrapped));
    assert.doesNotMatch(text, /secret goblin/);
    assert.match(text, /22021/, "the failure stays named by its SQLSTATE");
    assert.match(text, /Failed query/);
  });
});

describe("admin credentials", () => {
  it("compare the password even when the user name is wrong", () => {
    const compared: string[] = [];
    const compare = (given: string, expected: string) => {
      compared.push(expected);
      return given === expected;
    };
    const expected = { user: "admin", password: "s3cret-pass" };
    assert.equal(adminCredentialsMatch("root", "guess", expected, compare), false);
    assert.deepEqual(compared, ["admin", "s3cret-pass"], "both parts were compared");
    assert.equal(adminCredentialsMatch("admin", "s3cret-pass", expected, compare), true);
    assert.equal(adminCredentialsMatch("admin", "wrong", expected), false);
  });
});

describe("room defaults", () => {
  it("are per room type, in one place: a space takes a storm of 100, a table is a group", async () => {
    const { defaultRoomConfig, connectionCap } = await import("@tavern/shared/roomDefaults");
    const server = { reconnectGraceSeconds: 30, idleTimeoutSeconds: 1800 };
    assert.equal(defaultRoomConfig("space", server).maxPlayers, 100);
    assert.equal(defaultRoomConfig("table", server).maxPlayers, 16);
    assert.equal(defaultRoomConfig("probe", server).maxPlayers, 16);
    assert.equal(defaultRoomConfig("toString", server).maxPlayers, 16, "an inherited name is not a room type");
    assert.ok(connectionCap(defaultRoomConfig("space", server)) > 100 + 20);
  });
});

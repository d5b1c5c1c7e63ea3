/**
 * The platform API's OpenAPI document: every route the game API's and the webhook API's express
 * routers answer is in it with the scope and rate tier the route enforces, and the document holds together (unique
 * operationIds, every $ref resolves, every path parameter declared, the statuses each operation
 * can answer, the delivery as an OpenAPI webhook). No OpenAPI validator is a dependency, so the structure is checked here by hand.
 */
import assert from "node:assert/strict";
import type { Router } from "express";
import { WEBHOOK_EVENT_TYPES } from "@tavern/shared/webhooks";
import { GAME_API_BASE, GAME_API_ROUTES, gameApiRouter } from "../../src/http/gameApi";
import type { PlatformLimiters } from "../../src/http/platformLimits";
import type { RoomServices } from "../../src/services";
import { API_OPERATIONS, buildDocument, openApiDocument } from "../../src/http/openapi/document";
import { GAME_API_OPERATIONS } from "../../src/http/openapi/gameApiOperations";
import { WEBHOOK_OPERATIONS } from "../../src/http/openapi/webhookOperations";
import { WEBHOOK_API_ROUTES, webhookApiRouter } from "../../src/http/webhookApi";
import { openApiPath, type ApiOperation } from "../../src/http/openapi/operations";

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  rawPath?: string;
  handle?: { stack?: Layer[] };
}

/** Every (method, path) the router answers, nested routers included, as express sees them. */
function routesOf(router: Router, prefix = ""): Array<{ method: string; path: string }> {
  const found: Array<{ method: string; path: string }> = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) found.push({ method, path: prefix + layer.route.path });
    } else if (layer.handle?.stack) {
      found.push(...routesOf(layer.handle as unknown as Router, prefix + (layer.rawPath ?? "")));
    }
  }
  return found;
}

const passThrough: PlatformLimiters = { tier: () => (_req, _res, next) => next(), storeOptions: () => ({}) };
// Building the routers reads no service: the handlers use them per request.
const APIS = [
  { name: "game API", router: gameApiRouter({} as RoomServices, passThrough), routes: GAME_API_ROUTES, operations: GAME_API_OPERATIONS },
  {
    name: "webhook API",
    router: webhookApiRouter({} as RoomServices, passThrough),
    routes: WEBHOOK_API_ROUTES,
    operations: WEBHOOK_OPERATIONS,
  },
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const doc = openApiDocument() as unknown as { [key: string]: Json };

function resolvePointer(ref: string): Json | undefined {
  assert.ok(ref.startsWith("#/"), `only local refs: ${ref}`);
  let at: Json | undefined = doc;
  for (const part of ref.slice(2).split("/")) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    at = at !== null && typeof at === "object" && !Array.isArray(at) ? at[key] : undefined;
  }
  return at;
}

function allRefs(node: Json, into: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => allRefs(n, into));
  else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") into.push(v);
      else allRefs(v, into);
    }
  }
  return into;
}

const deref = (node: Json): { [key: string]: Json } => {
  const obj = node as { [key: string]: Json };
  return typeof obj["$ref"] === "string" ? deref(resolvePointer(obj["$ref"])!) : obj;
};

/** The game API's room writes: Idempotency-Key, waitForBroadcast, every refusal. */
const WRITE_OPERATION_IDS = new Set(["setPlayer", "bulkUpdate", "heartbeat", "gameStarted", "gameEnded"]);

const operations = () =>
  Object.entries(doc["paths"] as { [path: string]: { [method: string]: { [key: string]: Json } } }).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

describe("OpenAPI document of the platform API", () => {
  for (const api of APIS) {
    it(`documents every route of the ${api.name}'s router, with the scope and tier the route enforces`, () => {
      const served = routesOf(api.router);
      assert.ok(served.length >= api.routes.length, "the router walk finds the routes");
      for (const { method, path } of served) {
        const item = (doc["paths"] as { [p: string]: { [m: string]: Json } })[openApiPath(GAME_API_BASE + path)];
        assert.ok(item?.[method], `${method.toUpperCase()} ${GAME_API_BASE}${path} is served but not in the OpenAPI document`);
      }
      for (const route of api.routes) {
        const op = api.operations.find((o) => o.method === route.method && o.path === GAME_API_BASE + route.path);
        assert.ok(op, `${route.method} ${route.path} has no documented operation`);
        assert.equal(op.scope, route.scope, `${op.operationId}: documented scope`);
        assert.equal(op.tier, route.tier, `${op.operationId}: documented rate tier`);
      }
      assert.equal(api.operations.length, served.length, `nothing documented for the ${api.name} that its router does not serve`);
    });
  }

  it("documents no operation outside the APIs' lists", () => {
    assert.equal(
      operations().length,
      APIS.map((a) => a.operations.length).reduce((a, b) => a + b),
    );
    assert.equal(API_OPERATIONS.length, operations().length);
  });

  it("is an OpenAPI 3.1 document whose operationIds are unique and whose every $ref resolves", () => {
    assert.equal(doc["openapi"], "3.1.0");
    assert.equal(typeof (doc["info"] as { title?: Json }).title, "string");
    const ids = operations().map(({ op }) => op["operationId"]);
    assert.ok(ids.every((id) => typeof id === "string" && id.length > 0));
    assert.equal(new Set(ids).size, ids.length, "operationIds are unique");
    const refs = allRefs(doc);
    assert.ok(refs.length > 20);
    for (const ref of refs) assert.notEqual(resolvePointer(ref), undefined, `${ref} resolves`);
  });

  it("declares each path parameter, the bearer key with a scope, and every status the route can answer", () => {
    const schemes = (doc["components"] as { securitySchemes: { [k: string]: Json } }).securitySchemes;
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const params = ((op["parameters"] as Json[]) ?? []).map(deref);
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        assert.ok(
          params.some((p) => p["in"] === "path" && p["name"] === name && p["required"] === true),
          `${where}: path parameter ${name}`,
        );
      }
      const security = op["security"] as Array<{ [k: string]: string[] }>;
      assert.equal(security.length, 1);
      const [scheme, scopes] = Object.entries(security[0]!)[0]!;
      assert.ok(schemes[scheme], `${where}: security scheme ${scheme} exists`);
      assert.deepEqual(scopes, [op["x-tavern-scope"]]);

      const responses = op["responses"] as { [status: string]: Json };
      const declared = API_OPERATIONS.find((o) => o.operationId === op["operationId"])!;
      const isWrite = declared.write;
      // A room write can meet every refusal; the webhook routes' statuses are their own (no room, no 409/422/503).
      const expected = WRITE_OPERATION_IDS.has(declared.operationId)
        ? ["200", "400", "401", "403", "404", "409", "422", "429", "500", "503"]
        : declared.tags.includes("Game API")
          ? ["200", "401", "403", "404", "429", "500", "503"]
          : [String(declared.reply.status), ...declared.errors.map(String)];
      assert.deepEqual(Object.keys(responses).sort(), expected.sort(), `${where}: statuses`);
      assert.ok(
        ["401", "403", "429", "500"].every((s) => s in responses),
        `${where}: the statuses every route can answer`,
      );
      const success = String(declared.reply.status);
      for (const [status, response] of Object.entries(responses)) {
        const body = deref(response);
        const content = body["content"] as { [type: string]: { schema: Json } } | undefined;
        if (status === "204") {
          assert.equal(content, undefined, `${where} 204: no body`);
          continue;
        }
        assert.ok(content?.["application/json"]?.schema, `${where} ${status}: a JSON body`);
        if (status !== success)
          assert.equal((content["application/json"].schema as { $ref: string }).$ref, "#/components/schemas/ErrorBody");
      }
      const headers = (name: string, status: string) => Object.keys((deref(responses[status]!)["headers"] as object) ?? {}).includes(name);
      assert.ok(headers("RateLimit-Remaining", success) && headers("RateLimit-Remaining", "429"), `${where}: RateLimit-* headers`);
      assert.ok(headers("Retry-After", "429"), `${where}: Retry-After on a spent limit`);
      if (responses["503"]) assert.ok(headers("Retry-After", "503"), `${where}: Retry-After on 503`);
      const paramNames = params.map((p) => `${p["in"]}:${p["name"]}`);
      assert.equal(paramNames.includes("header:Idempotency-Key"), isWrite, `${where}: Idempotency-Key on writes only`);
      assert.equal(paramNames.includes("query:waitForBroadcast"), isWrite, `${where}: waitForBroadcast on writes only`);
      if (isWrite || declared.body) assert.ok((op["requestBody"] as { required?: boolean })?.required, `${where}: a body`);
      else assert.equal(op["requestBody"], undefined, `${where}: no body`);
    }
  });

  it("describes the webhook delivery: the signed headers and one body per event type", () => {
    const delivery = (doc["webhooks"] as { [name: string]: { post: { [key: string]: Json } } })["roomEvent"]!.post;
    const params = (delivery["parameters"] as Json[]).map(deref).map((p) => `${p["in"]}:${p["name"]}`);
    assert.deepEqual(params.sort(), ["header:Tavern-Webhook-Id", "header:Tavern-Webhook-Signature", "header:Tavern-Webhook-Timestamp"]);
    const body = deref(
      (delivery["requestBody"] as { content: { "application/json": { schema: Json } } }).content["application/json"].schema,
    );
    const types = (body["oneOf"] as Json[]).map((m) => (deref(m)["properties"] as { type: { enum: string[] } }).type.enum[0]);
    assert.deepEqual(types.sort(), [...WEBHOOK_EVENT_TYPES].sort());
  });

  it("refuses to build with an operationId twice or a path parameter without a schema", () => {
    const first = API_OPERATIONS[0]!;
    assert.throws(() => buildDocument([first, { ...first, path: `${first.path}/again` }]), /operationId players is used twice/);
    const bad: ApiOperation = { ...first, params: {} };
    assert.throws(() => buildDocument([bad]), /path parameters without a schema: code/);
  });
});

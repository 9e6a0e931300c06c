import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { POST as createSchemaRoute } from "@/app/api/v1/schemas/route";
import { POST as ingestRoute } from "@/app/api/v1/events/route";
import { createKey, createOrg, event } from "@/db/testing/fixtures";
import { patternProblems } from "./linear-regexp";

const post = (handler: (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>, secret: string, path: string, body: unknown) =>
  handler(new Request(`http://localhost${path}`, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify(body) }), {
    params: Promise.resolve({}),
  });

const withPattern = (pattern: string) => ({ type: "object", properties: { code: { type: "string", pattern } } });
type ErrorBody = { error: { code: string; issues: { path: string; message: string }[] } };

describe("schema patterns run in linear time", () => {
  it("a catastrophic-backtracking pattern cannot stall ingest: a 30-character value is refused at once", async () => {
    const vendor = await createKey(null, ["schemas:write"]);
    const action = `redos_${randomUUID().slice(0, 8)}.checked`;
    const created = await post(createSchemaRoute, vendor.secret, "/api/v1/schemas", { action, metadata_schema: withPattern("^(a+)+$") });
    expect(created.status).toBe(201);

    const org = await createOrg();
    const { secret } = await createKey(org.id);
    const started = performance.now();
    const refused = await post(ingestRoute, secret, "/api/v1/events", { event: event({ action, metadata: { code: `${"a".repeat(29)}!` } }) });
    const elapsed = performance.now() - started;
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as ErrorBody).error.issues[0]!.path).toBe("event.metadata.code");
    expect(elapsed).toBeLessThan(1_000);

    const accepted = await post(ingestRoute, secret, "/api/v1/events", { event: event({ action, metadata: { code: "a".repeat(29) } }) });
    expect(accepted.status).toBe(201);
  });

  it.each([
    ["a backreference", "^(a)\\1$", "metadata_schema.properties.code.pattern"],
    ["a lookahead", "^(?=a)a+$", "metadata_schema.properties.code.pattern"],
  ])("%s is a 422 at creation that names the pattern's place", async (_name, pattern, path) => {
    const vendor = await createKey(null, ["schemas:write"]);
    const response = await post(createSchemaRoute, vendor.secret, "/api/v1/schemas", { action: `redos_${randomUUID().slice(0, 8)}.checked`, metadata_schema: withPattern(pattern) });
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.issues).toEqual([{ path, message: expect.stringContaining("linear-time engine") }]);
  });

  it("finds patterns wherever a schema keyword holds one, and only there", () => {
    const schema = {
      type: "object",
      patternProperties: { "^(x)\\1$": { type: "string" } },
      properties: { pattern: { type: "string", enum: [{ pattern: "(?=not a schema)" }] }, list: { anyOf: [{ pattern: "ok" }, { pattern: "(?<=b)a" }] } },
    };
    expect(patternProblems(schema, ["actor_schema"]).map((i) => i.path)).toEqual(["actor_schema.patternProperties.^(x)\\1$", "actor_schema.properties.list.anyOf[1].pattern"]);
  });
});

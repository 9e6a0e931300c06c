import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/schemas/route";
import { GET as versionRoute } from "@/app/api/v1/schemas/[action]/versions/[version]/route";
import { POST as createVersionRoute } from "@/app/api/v1/schemas/[action]/versions/route";
import { createKey, createOrg } from "@/db/testing/fixtures";

const call = (handler: (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>, secret: string, method: string, path: string, params: Record<string, string> = {}, body?: unknown) =>
  handler(
    new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }),
    { params: Promise.resolve(params) },
  );

describe("/api/v1/schemas", () => {
  it("a vendor key with schemas:write creates an action and a version, and reads them back", async () => {
    const { secret } = await createKey(null, ["schemas:write"]);
    const action = `api_${randomUUID().slice(0, 8)}.archived`;
    const created = await call(createRoute, secret, "POST", "/api/v1/schemas", {}, { action, target_types: ["project"], metadata_schema: { type: "object", properties: { reason: { type: "string" } } }, display: { label: "Archived", columns: ["reason"] } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ data: { action, version: 1, display: { columns: ["reason"] } } });

    const v2 = await call(createVersionRoute, secret, "POST", `/api/v1/schemas/${action}/versions`, { action }, { target_types: ["project", "folder"] });
    expect(v2.status).toBe(201);
    expect(((await v2.json()) as { data: { version: number } }).data.version).toBe(2);

    const one = await call(versionRoute, secret, "GET", `/api/v1/schemas/${action}/versions/1`, { action, version: "1" });
    expect(((await one.json()) as { data: { target_types: string[] } }).data.target_types).toEqual(["project"]);
    const list = (await (await call(listRoute, secret, "GET", "/api/v1/schemas")).json()) as { data: { action: string; versions: number[] }[] };
    expect(list.data.find((a) => a.action === action)?.versions).toEqual([1, 2]);
    expect((await call(versionRoute, secret, "GET", `/api/v1/schemas/${action}/versions/9`, { action, version: "9" })).status).toBe(404);
  });

  it("refuses an invalid JSON Schema with a 422 naming the field", async () => {
    const { secret } = await createKey(null, ["schemas:write"]);
    const response = await call(createRoute, secret, "POST", "/api/v1/schemas", {}, { action: `api_${randomUUID().slice(0, 8)}.bad`, metadata_schema: { type: "object", properties: { n: { type: "numbr" } } } });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { issues: { path: string; message: string }[] } };
    expect(body.error.issues[0]).toMatchObject({ path: "metadata_schema", message: expect.stringContaining("not a valid JSON Schema") });
    const reserved = await call(createRoute, secret, "POST", "/api/v1/schemas", {}, { action: "orgtrail.thing.done" });
    expect(reserved.status).toBe(422);
  });

  it("404 for keys without schemas:write and for org-bound keys", async () => {
    const org = await createOrg();
    for (const { secret } of [await createKey(null, ["events:write", "events:read"]), await createKey(org.id, ["schemas:write"])]) {
      expect((await call(listRoute, secret, "GET", "/api/v1/schemas")).status).toBe(404);
      expect((await call(createRoute, secret, "POST", "/api/v1/schemas", {}, { action: "x.y" })).status).toBe(404);
    }
  });
});

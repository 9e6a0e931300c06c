import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { hashApiKey } from "@/lib/auth/api-key-secret";
import { POST } from "@/app/api/v1/events/route";
import { createKey, createOrg, event } from "@/db/testing/fixtures";

function post(secret: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  return POST(
    new Request("http://localhost/api/v1/events", {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", ...headers },
      body,
    }),
    undefined,
  );
}

async function countEvents(organizationId: string): Promise<number> {
  const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${organizationId}`;
  return Number(n);
}

describe("POST /api/v1/events", () => {
  it("201 with id, seq and hash for each event, in input order", async () => {
    const org = await createOrg();
    const { secret } = await createKey(org.id);
    const events = Array.from({ length: 1000 }, (_, i) => event({ metadata: { i } }));
    const response = await post(secret, JSON.stringify({ events }));
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { id: string; seq: number; hash: string }[] };
    expect(data.map((d) => d.seq)).toEqual(events.map((_, i) => i + 1));
    const rows = await sql()<{ id: string; metadata: { i: number } }[]>`select id, metadata from audit_events where organization_id = ${org.id} order by seq`;
    expect(rows.map((r) => r.metadata.i)).toEqual(events.map((_, i) => i));
    expect(rows.map((r) => r.id)).toEqual(data.map((d) => d.id));
  });

  it.each([
    ["malformed JSON", "{not json", 400, "invalid_json"],
    ["empty body", "", 400, "invalid_json"],
    ["a JSON string", '"hello"', 422, "validation_failed"],
    ["an array", "[]", 422, "validation_failed"],
    ["both event and events", JSON.stringify({ event: event(), events: [event()] }), 422, "validation_failed"],
    ["1001 events", JSON.stringify({ events: Array.from({ length: 1001 }, () => event()) }), 422, "validation_failed"],
    ["zero events", JSON.stringify({ events: [] }), 422, "validation_failed"],
  ])("%s → %i %s, nothing written", async (_name, body, status, code) => {
    const org = await createOrg();
    const { secret } = await createKey(org.id);
    const response = await post(secret, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await countEvents(org.id)).toBe(0);
  });

  it("413 for a body over 1 MiB, 415 for another content type, 400 for invalid UTF-8", async () => {
    const org = await createOrg();
    const { secret } = await createKey(org.id);
    const big = JSON.stringify({ event: event({ metadata: { pad: "x".repeat(400) } }), pad: "y".repeat(1024 * 1024) });
    expect((await post(secret, big)).status).toBe(413);
    expect((await post(secret, JSON.stringify({ event: event() }), { "content-type": "text/plain" })).status).toBe(415);
    const invalidUtf8 = new Uint8Array<ArrayBuffer>(new ArrayBuffer(8));
    invalidUtf8.set([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    expect((await post(secret, invalidUtf8)).status).toBe(400);
    expect(await countEvents(org.id)).toBe(0);
  });

  it("401 for an unknown key, and for a cached key as soon as its revoke's notification arrives", async () => {
    const org = await createOrg();
    const { secret, principal } = await createKey(org.id);
    // The first lookup also starts the key cache's listener for the database's change notifications.
    expect((await post("ot_nope", JSON.stringify({ event: event() }))).status).toBe(401);
    // A listener of the test's own on the same channel and connection: it is up only once the cache's is,
    // and it hears each notification after the cache has.
    let arrived!: () => void;
    const revokeArrived = new Promise<void>((resolve) => (arrived = resolve));
    const { unlisten } = await sql().listen("orgtrail_api_key_changed", (secretHash) => {
      if (secretHash === hashApiKey(secret)) arrived();
    });
    try {
      // Served with the cache listening, so the key is now cached: only the notification can evict it before its TTL.
      expect((await post(secret, JSON.stringify({ event: event() }))).status).toBe(201);
      await db().update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, principal.keyId));
      await revokeArrived;
      const refused = await post(secret, JSON.stringify({ event: event() }));
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    } finally {
      await unlisten();
    }
  });

  it("replays with Idempotency-Key and 409s a different body", async () => {
    const org = await createOrg();
    const { secret } = await createKey(org.id);
    const body = JSON.stringify({ event: event() });
    const first = await post(secret, body, { "idempotency-key": "abc" });
    const second = await post(secret, body, { "idempotency-key": "abc" });
    expect(second.status).toBe(201);
    expect(await second.json()).toEqual(await first.json());
    const conflict = await post(secret, JSON.stringify({ event: event({ action: "test.else" }) }), { "idempotency-key": "abc" });
    expect(conflict.status).toBe(409);
    expect(await countEvents(org.id)).toBe(1);
  });

  it("never answers a hostile body with a 5xx", async () => {
    const org = await createOrg();
    const { secret } = await createKey(org.id);
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const bodies = [
      deep,
      JSON.stringify({ event: { ...event(), occurred_at: "2026-02-30T00:00:00Z" } }),
      JSON.stringify({ event: { ...event(), version: 1e308 } }),
      JSON.stringify({ event: { ...event(), version: -1 } }),
      JSON.stringify({ event: { ...event(), actor: { type: "user", id: "x".repeat(10_000) } } }),
      JSON.stringify({ event: { ...event(), metadata: { "<script>": "x" } } }),
      JSON.stringify({ event: { ...event(), targets: "not an array" } }),
      JSON.stringify({ organization_id: "'; drop table audit_events; --", event: event() }),
      JSON.stringify({ organization_id: { $ne: null }, event: event() }),
      JSON.stringify({ event: { ...event(), context: { location: "1.2.3.4\u0000" } } }),
      JSON.stringify({ event: { ...event(), action: "a.\ud800" } }),
    ];
    for (const body of bodies) {
      const response = await post(secret, body);
      expect(response.status, body.slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(response.status, body.slice(0, 80)).toBeLessThan(500);
      const text = await response.text();
      expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    expect(await countEvents(org.id)).toBe(0);
  });
});

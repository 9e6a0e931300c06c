import { afterAll, describe, expect, it } from "vitest";
import { createKey, createOrg, event } from "@/db/testing/fixtures";

// Vitest gives each test file fresh modules, so this limit applies to this file's route only.
process.env.ORGTRAIL_INGEST_RATE_PER_SECOND = "2";
afterAll(() => {
  delete process.env.ORGTRAIL_INGEST_RATE_PER_SECOND;
});

describe("ingest rate limit", () => {
  it("answers 429 with Retry-After once a key's burst is spent, per key", async () => {
    const { POST } = await import("@/app/api/v1/events/route");
    const org = await createOrg();
    const first = await createKey(org.id);
    const second = await createKey(org.id);
    const post = (secret: string) =>
      POST(new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body: JSON.stringify({ event: event() }) }), undefined);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(first.secret)).status);
    // A burst of twice the per-second rate, then refusals.
    expect(statuses.slice(0, 4)).toEqual([201, 201, 201, 201]);
    const limited = await post(first.secret);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect((await post(second.secret)).status).toBe(201);
  });
});

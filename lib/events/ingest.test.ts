import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { resolveOrgScope } from "@/lib/access/scope";
import { AppError } from "@/lib/errors";
import { createKey, createOrg, event } from "@/db/testing/fixtures";
import { ingest } from "./ingest";
import { verifyChain } from "./verify";
import { httpStatus } from "@/lib/api/error-response";


async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("ingest", () => {
  it("stores one event with gapless seq and a verifiable chain", async () => {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const first = await ingest(principal, { event: event() }, null);
    const second = await ingest(principal, { events: [event(), event({ action: "test.other" })] }, null);
    const ids = [...(first.body as { data: { seq: number }[] }).data, ...(second.body as { data: { seq: number }[] }).data];
    expect(ids.map((e) => e.seq)).toEqual([1, 2, 3]);
    const scope = await resolveOrgScope(principal, org.slug);
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: 3, first_bad_seq: null });
  });

  it("returns the stored event exactly as sent, with normalized IP", async () => {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const sent = event({ context: { location: "::ffff:203.0.113.9", user_agent: "UA" }, metadata: { n: 1.5, b: true, s: "x" } });
    const result = await ingest(principal, { event: sent }, null);
    const [{ id, hash }] = (result.body as { data: { id: string; hash: string }[] }).data;
    const { getEvent } = await import("./search");
    const stored = await getEvent(await resolveOrgScope(principal, org.slug), id!);
    expect(stored).toMatchObject({ id, hash, action: "test.happened", actor: sent.actor, targets: sent.targets, metadata: { n: 1.5, b: true, s: "x" } });
    expect(stored.context).toEqual({ location: "203.0.113.9", user_agent: "UA" });
  });

  it("rejects a batch with one bad event, naming its path, and writes nothing", async () => {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const bad = event({ targets: [{ type: "", id: "x" }] });
    const error = await rejection(ingest(principal, { events: [event(), event(), event(), bad] }, null));
    expect(httpStatus(error)).toBe(422);
    expect(error.issues?.map((i) => i.path)).toContain("events[3].targets[0].type");
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${org.id}`;
    expect(Number(n)).toBe(0);
  });

  it.each([
    ["reserved prefix", { action: "orgtrail.user.signed_in" }, "event.action"],
    ["future time", { occurred_at: new Date(Date.now() + 3_600_000).toISOString() }, "event.occurred_at"],
    ["bad ip", { context: { location: "999.1.1.1" } }, "event.context.location"],
    ["missing actor id", { actor: { type: "user" } }, "event.actor.id"],
    ["NUL byte", { actor: { type: "user", id: "a\u0000b" } }, "event.actor.id"],
    ["too many metadata keys", { metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, "event.metadata"],
    ["nested metadata", { metadata: { deep: { x: 1 } } }, "event.metadata.deep"],
    ["uppercase action", { action: "User.Signed_In" }, "event.action"],
    ["unknown field", { extra: 1 }, "event"],
  ])("rejects %s with a 422 at %s", async (_name, overrides, path) => {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const error = await rejection(ingest(principal, { event: event(overrides) }, null));
    expect(httpStatus(error)).toBe(422);
    expect(error.issues?.map((i) => i.path)).toContain(path);
  });

  it("404s an unknown organization and another org for an org-bound key", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const { principal } = await createKey(org.id);
    expect(httpStatus((await rejection(ingest(principal, { organization_id: other.id, event: event() }, null))))).toBe(404);
    const vendor = await createKey(null);
    expect(httpStatus((await rejection(ingest(vendor.principal, { organization_id: "no-such-org", event: event() }, null))))).toBe(404);
    expect(httpStatus((await rejection(ingest(vendor.principal, { event: event() }, null))))).toBe(422);
  });

  it("needs the events:write scope", async () => {
    const org = await createOrg();
    const { principal } = await createKey(org.id, ["events:read"]);
    expect(httpStatus((await rejection(ingest(principal, { event: event() }, null))))).toBe(403);
  });

  it("replays an idempotent request and refuses the key with another body", async () => {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const body = { event: event() };
    const first = await ingest(principal, body, "key-1");
    const again = await ingest(principal, body, "key-1");
    expect(again.body).toEqual(first.body);
    expect(httpStatus((await rejection(ingest(principal, { event: event({ action: "test.other" }) }, "key-1"))))).toBe(409);
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${org.id}`;
    expect(Number(n)).toBe(1);
  });

  it("writes once when the same key arrives concurrently", async () => {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const body = { event: event() };
    const results = await Promise.all(Array.from({ length: 20 }, () => ingest(principal, body, "race")));
    const first = JSON.stringify(results[0]!.body);
    for (const r of results) expect(JSON.stringify(r.body)).toBe(first);
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${org.id}`;
    expect(Number(n)).toBe(1);
  });

  it("hashes and inserts a 1,000-event batch in chunks: input order kept, stored rows as answered, chain valid beside concurrent requests", async () => {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const batch = { events: Array.from({ length: 1000 }, (_, i) => event({ metadata: { i } })) };
    const [big, ...singles] = await Promise.all([ingest(principal, batch, null), ...Array.from({ length: 30 }, (_, i) => ingest(principal, { event: event({ metadata: { single: i } }) }, null))]);
    const answered = (big!.body as { data: { id: string; seq: number; hash: string }[] }).data;
    expect(answered).toHaveLength(1000);
    const stored = await sql()<{ id: string; seq: string; hash: string; i: number }[]>`
      select id, seq, hash, (metadata ->> 'i')::int as i from audit_events where organization_id = ${org.id} and metadata ? 'i' order by seq`;
    expect(stored.map((r) => r.i)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(stored.map((r) => ({ id: r.id, seq: Number(r.seq), hash: r.hash }))).toEqual(answered);
    expect(singles).toHaveLength(30);
    expect(await verifyChain(await resolveOrgScope(principal, org.slug))).toMatchObject({ ok: true, checked: 1030, first_bad_seq: null });
  });

  it("keeps seq gapless and the chain valid under 200 concurrent requests", async () => {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => ingest(principal, { event: event({ metadata: { i } }) }, null)));
    const seqs = results.flatMap((r) => (r.body as { data: { seq: number }[] }).data.map((e) => e.seq)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await verifyChain(await resolveOrgScope(principal, org.slug))).ok).toBe(true);
  });
});

describe("verify finds tampering at the right seq", () => {
  async function chainOf(n: number) {
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    await ingest(principal, { events: Array.from({ length: n }, (_, i) => event({ metadata: { i } })) }, null);
    return { org, scope: await resolveOrgScope(principal, org.slug) };
  }

  it("a changed field", async () => {
    const { org, scope } = await chainOf(10);
    await sql()`update audit_events set actor_name = 'Mallory' where organization_id = ${org.id} and seq = 4`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, checked: 3, first_bad_seq: 4 });
  });

  it("a deleted event", async () => {
    const { org, scope } = await chainOf(10);
    await sql()`delete from audit_events where organization_id = ${org.id} and seq = 6`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 6 });
  });

  it("the last event deleted", async () => {
    const { org, scope } = await chainOf(10);
    await sql()`delete from audit_events where organization_id = ${org.id} and seq = 10`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 10 });
  });

  it("two events swapped", async () => {
    const { org, scope } = await chainOf(10);
    await sql().begin(async (tx) => {
      await tx`update audit_events set seq = -1 where organization_id = ${org.id} and seq = 3`;
      await tx`update audit_events set seq = 3 where organization_id = ${org.id} and seq = 7`;
      await tx`update audit_events set seq = 7 where organization_id = ${org.id} and seq = -1`;
    });
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 3 });
  });

  it("a changed metadata value", async () => {
    const { org, scope } = await chainOf(10);
    await sql()`update audit_events set metadata = '{"i": 99}' where organization_id = ${org.id} and seq = 9`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 9 });
  });
});

import { describe, expect, it } from "vitest";
import { v7 as uuidv7 } from "uuid";
import { sql } from "@/db/client";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { TEST_CONTEXT, countEvents, eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { resolveOrgScope } from "@/lib/access/scope";
import { AppError } from "@/lib/errors";
import { appendInTransaction } from "./append";
import { enqueueRetentionJobs, purgeExpiredEvents, retentionSettings, setRetentionDays } from "./retention";
import type { PreparedEvent } from "./types";
import { verifyChain } from "./verify";
import { httpStatus } from "@/lib/api/error-response";

const DAY = 86_400_000;

function prepared(receivedAt: Date, i: number): PreparedEvent {
  return { id: uuidv7(), action: "test.aged", version: 1, occurredAt: receivedAt, receivedAt, actor: { type: "user", id: `u_${i}` }, targets: [], ip: null, userAgent: null, metadata: { i } };
}

async function orgWithAgedEvents(old: number, fresh: number) {
  const org = await createOrg();
  const owner = await createUser(org.id, "owner", "u_owner");
  const now = Date.now();
  const events = [
    ...Array.from({ length: old }, (_, i) => prepared(new Date(now - 100 * DAY + i * 1000), i)),
    ...Array.from({ length: fresh }, (_, i) => prepared(new Date(now - DAY + i * 1000), old + i)),
  ];
  await sql().begin((tx) => appendInTransaction(tx, org.id, events));
  return { org, owner, scope: await resolveOrgScope(owner, org.slug) };
}

async function apiStatus(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppError)) throw error ?? new Error("expected an AppError");
  return httpStatus(error);
}

describe("retention", () => {
  it("an owner changing retention while an append holds the chain waits for it, and neither deadlocks", async () => {
    const { org, scope } = await orgWithAgedEvents(0, 1);
    const results: string[] = [];
    const append = sql()
      .begin(async (tx) => {
        // The chain row taken as an append's first statement does (an existing row: no foreign-key check yet);
        // the owner's change locks the organization meanwhile; then the append's inserts check their foreign keys.
        await tx`update event_chains set chain_seq = chain_seq where organization_id = ${org.id}`;
        await new Promise((resolve) => setTimeout(resolve, 300));
        await appendInTransaction(tx, org.id, [prepared(new Date(), 1)]);
      })
      .then(() => results.push("append"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const change = setRetentionDays(scope, TEST_CONTEXT, { days: 90 }).then(() => results.push("retention"));
    await Promise.all([append, change]);
    expect(results).toEqual(["append", "retention"]);
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: 3 });
  });

  it("purges expired events in batches, moves the checkpoint, records one orgtrail.retention.purged, and the chain still verifies", async () => {
    const { org, scope } = await orgWithAgedEvents(12, 3);
    await setRetentionDays(scope, TEST_CONTEXT, { days: 30 });
    const result = await purgeExpiredEvents(org.id, { batchSize: 5 });
    expect(result).toEqual({ count: 12, batches: 3, throughSeq: 12 });
    const [row] = await sql()<{ checkpoint_seq: string; checkpoint_hash: string }[]>`select checkpoint_seq, checkpoint_hash from event_chains where organization_id = ${org.id}`;
    expect(Number(row!.checkpoint_seq)).toBe(12);
    const [{ hash }] = await sql()<{ hash: string }[]>`select prev_hash as hash from audit_events where organization_id = ${org.id} and seq = 13`;
    expect(row!.checkpoint_hash).toBe(hash);
    const seqs = await sql()<{ seq: string }[]>`select seq from audit_events where organization_id = ${org.id} and action = 'test.aged' order by seq`;
    expect(seqs.map((s) => Number(s.seq))).toEqual([13, 14, 15]);
    const purged = await eventsOf(org.id, "orgtrail.retention.purged");
    expect(purged).toHaveLength(1);
    expect(purged[0]).toMatchObject({
      actor: { type: "system", id: "orgtrail.retention" },
      targets: [{ type: "organization", id: org.id }],
      metadata: { count: 12, through_seq: 12, checkpoint_seq: 12, checkpoint_hash: hash, retention_days: 30, batches: 3 },
    });
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: 5, first_bad_seq: null });
    const [stat] = await sql()<{ event_count: string }[]>`select event_count from action_stats where organization_id = ${org.id} and action = 'test.aged'`;
    expect(Number(stat!.event_count)).toBe(3);

    // A second run finds nothing and writes nothing.
    expect(await purgeExpiredEvents(org.id, { batchSize: 5 })).toEqual({ count: 0, batches: 0, throughSeq: 0 });
    expect(await eventsOf(org.id, "orgtrail.retention.purged")).toHaveLength(1);
    expect(await verifyChain(scope)).toMatchObject({ ok: true });
  });

  it("an exact multiple of the batch size still ends with one event, and tampering after a purge is still found", async () => {
    const { org, scope } = await orgWithAgedEvents(10, 2);
    await setRetentionDays(scope, TEST_CONTEXT, { days: 30 });
    expect(await purgeExpiredEvents(org.id, { batchSize: 5 })).toMatchObject({ count: 10, batches: 2 });
    expect(await eventsOf(org.id, "orgtrail.retention.purged")).toHaveLength(1);
    await sql()`update audit_events set metadata = '{"i": 99}' where organization_id = ${org.id} and seq = 11`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 11 });
  });

  it("the purge event is in the chain before anything is deleted, so the chain verifies between batches", async () => {
    const { org, scope } = await orgWithAgedEvents(12, 1);
    await setRetentionDays(scope, TEST_CONTEXT, { days: 30 });
    const between: unknown[] = [];
    await purgeExpiredEvents(org.id, { batchSize: 5, onBatch: async () => void between.push(await verifyChain(scope)) });
    expect(between).toMatchObject([
      { ok: true, checkpoint: { seq: 5 } },
      { ok: true, checkpoint: { seq: 10 } },
    ]);
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checkpoint: { seq: 12 } });
  });

  it("a checkpoint moved over deleted events without a recorded purge is found", async () => {
    const { org, scope } = await orgWithAgedEvents(0, 8);
    const hashAt = async (seq: number) => (await sql()<{ hash: string }[]>`select hash from audit_events where organization_id = ${org.id} and seq = ${seq}`)[0]!.hash;
    const hash3 = await hashAt(3);
    await sql()`delete from audit_events where organization_id = ${org.id} and seq <= 3`;
    await sql()`update event_chains set checkpoint_seq = 3, checkpoint_hash = ${hash3} where organization_id = ${org.id}`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 1, checkpoint: { seq: 3, hash: hash3 } });
  });

  it("a checkpoint moved over events that are still stored is found", async () => {
    const { org, scope } = await orgWithAgedEvents(0, 8);
    const [{ hash }] = await sql()<{ hash: string }[]>`select hash from audit_events where organization_id = ${org.id} and seq = 3`;
    await sql()`update event_chains set checkpoint_seq = 3, checkpoint_hash = ${hash} where organization_id = ${org.id}`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, checked: 0, first_bad_seq: 1 });
  });

  it("a checkpoint moved past the one the last purge recorded is found", async () => {
    const { org, scope } = await orgWithAgedEvents(6, 4);
    await setRetentionDays(scope, TEST_CONTEXT, { days: 30 });
    await purgeExpiredEvents(org.id, { batchSize: 5 });
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checkpoint: { seq: 6 } });
    const [{ hash }] = await sql()<{ hash: string }[]>`select hash from audit_events where organization_id = ${org.id} and seq = 8`;
    await sql()`delete from audit_events where organization_id = ${org.id} and seq in (7, 8)`;
    await sql()`update event_chains set checkpoint_seq = 8, checkpoint_hash = ${hash} where organization_id = ${org.id}`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 7 });
  });

  it("changing retention records orgtrail.retention.changed; out-of-bounds days are refused", async () => {
    const { org, owner, scope } = await orgWithAgedEvents(0, 1);
    await sql()`insert into settings (key, value) values ('retention.bounds', ${sql().json({ min: 7, max: 400 })}) on conflict (key) do update set value = excluded.value`;
    try {
      expect((await retentionSettings(scope)).bounds).toEqual({ min: 7, max: 400 });
      await setRetentionDays(scope, TEST_CONTEXT, { days: "90" });
      expect((await retentionSettings(scope)).days).toBe(90);
      const events = await eventsOf(org.id, "orgtrail.retention.changed");
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor: { type: "user", id: "u_owner", metadata: { email: owner.email } }, targets: [{ type: "organization", id: org.id }], metadata: { days_from: 365, days_to: 90 } });
      for (const days of [6, 401, 30.5, "abc", null]) expect(await apiStatus(setRetentionDays(scope, TEST_CONTEXT, { days }))).toBe(400);
      expect((await retentionSettings(scope)).days).toBe(90);
    } finally {
      await sql()`delete from settings where key = 'retention.bounds'`;
    }
    expect((await retentionSettings(scope)).bounds).toEqual({ min: 30, max: 3650 });
  });

  it("a failed change writes no event and a failed event write keeps the old retention", async () => {
    const { org, scope } = await orgWithAgedEvents(0, 1);
    const before = await countEvents(org.id);
    await expect(withFailingWrites("organizations", "update of retention_days", org.id, () => setRetentionDays(scope, TEST_CONTEXT, { days: 60 }))).rejects.toThrow();
    expect(await countEvents(org.id)).toBe(before);
    await expect(withFailingWrites("audit_events", "insert", org.id, () => setRetentionDays(scope, TEST_CONTEXT, { days: 60 }))).rejects.toThrow();
    expect((await retentionSettings(scope)).days).toBe(365);
  });

  it("a purge whose event cannot be written deletes nothing in that batch", async () => {
    const { org, scope } = await orgWithAgedEvents(4, 1);
    await setRetentionDays(scope, TEST_CONTEXT, { days: 30 });
    await expect(withFailingWrites("audit_events", "insert", org.id, () => purgeExpiredEvents(org.id, { batchSize: 10 }))).rejects.toThrow();
    expect(await countEvents(org.id)).toBe(6);
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: 6 });
  });

  it("only retention.manage may read or change retention", async () => {
    const { org } = await orgWithAgedEvents(0, 1);
    for (const role of ["auditor", "member"] as const) {
      const weak = await resolveOrgScope(await createUser(org.id, role, `u_${role}`), org.slug);
      expect(await apiStatus(retentionSettings(weak))).toBe(403);
      expect(await apiStatus(setRetentionDays(weak, TEST_CONTEXT, { days: 60 }))).toBe(403);
    }
  });

  it("the daily jobs are enqueued once per organization and day", async () => {
    const org = await createOrg();
    const day = new Date("2031-05-04T10:00:00Z");
    expect(await enqueueRetentionJobs(day)).toBeGreaterThan(0);
    expect(await enqueueRetentionJobs(day)).toBe(0);
    const [job] = await sql()<{ payload: { organizationId: string } }[]>`select payload from jobs where dedupe_key = ${`retention:${org.id}:2031-05-04`}`;
    expect(job!.payload.organizationId).toBe(org.id);
    await sql()`delete from jobs where dedupe_key like 'retention:%:2031-05-04'`;
  });
});

import { describe, expect, it } from "vitest";
import { v7 as uuidv7 } from "uuid";
import { sql } from "@/db/client";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { eventsOf } from "@/db/testing/app-event-assertions";
import { resolveOrgScope } from "@/lib/access/scope";
import { appendInTransaction } from "./append";
import { dropExpiredPartitions } from "./partition-retention";
import { purgeExpiredEvents } from "./retention";
import { ensureEventPartitions, eventPartitions } from "./store/event-partitions";
import type { PreparedEvent } from "./types";
import { verifyChain } from "./verify";

/*
 * Months far in the past (2011, 2014) so no other test file writes to them;
 * `now` is passed in, so which months have expired is up to each test.
 */

function aged(receivedAt: string, i: number): PreparedEvent {
  const at = new Date(receivedAt);
  return { id: uuidv7(), action: "test.partitioned", version: 1, occurredAt: at, receivedAt: at, actor: { type: "user", id: `u_${i}` }, targets: [{ type: "document", id: "d" }, { type: "document", id: "d", name: "again" }], ip: null, userAgent: null, metadata: { i } };
}

async function orgWith(retentionDays: number, receivedAts: string[]) {
  const org = await createOrg("part");
  const owner = await createUser(org.id, "owner", "u_owner");
  await sql()`update organizations set retention_days = ${retentionDays} where id = ${org.id}`;
  await sql().begin((tx) => appendInTransaction(tx, org.id, receivedAts.map(aged)));
  return { org, scope: await resolveOrgScope(owner, org.slug) };
}

const partitionOf = async (organizationId: string, seq: number) =>
  (await sql()<{ partition: string }[]>`select tableoid::regclass::text as partition from audit_events where organization_id = ${organizationId} and seq = ${seq}`)[0]?.partition;

const checkpointOf = async (organizationId: string) =>
  Number((await sql()<{ checkpoint_seq: string }[]>`select checkpoint_seq from event_chains where organization_id = ${organizationId}`)[0]!.checkpoint_seq);

const countsOf = async (organizationId: string) => {
  const [row] = await sql()<{ hourly: string | null; stats: string | null; targets: string | null }[]>`
    select (select sum(event_count) from event_counts_hourly where organization_id = ${organizationId} and action = 'test.partitioned') as hourly,
           (select event_count from action_stats where organization_id = ${organizationId} and action = 'test.partitioned') as stats,
           (select sum(event_count) from event_target_counts_hourly where organization_id = ${organizationId} and action = 'test.partitioned') as targets`;
  return { hourly: Number(row!.hourly ?? 0), stats: Number(row!.stats ?? 0), targets: Number(row!.targets ?? 0) };
};

describe("event partitions", () => {
  it("keeps the coming months ready, and moves what the DEFAULT partition took into its own month", async () => {
    const now = new Date();
    const names = await ensureEventPartitions(now);
    const month = (offset: number) => {
      const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      return `audit_events_y${at.getUTCFullYear()}m${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
    };
    expect(names).toEqual(expect.arrayContaining([month(0), month(1), month(2), month(3)]));

    const { org, scope } = await orgWith(365, ["2011-03-10T12:00:00Z", "2011-03-11T12:00:00Z"]);
    if ((await eventPartitions()).some((p) => p.name === "audit_events_y2011m03")) throw new Error("2011-03 must start without a partition");
    expect(await partitionOf(org.id, 1)).toBe("audit_events_default");
    expect(await ensureEventPartitions(now)).toContain("audit_events_y2011m03");
    expect(await partitionOf(org.id, 1)).toBe("audit_events_y2011m03");
    expect(await partitionOf(org.id, 2)).toBe("audit_events_y2011m03");
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events_default where organization_id = ${org.id}`;
    expect(Number(n)).toBe(0);
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: 2 });
  });
});

describe("retention by the month", () => {
  it("drops a month only once it has expired for every organization in it, moving each one's checkpoint in the same transaction", async () => {
    await sql()`select orgtrail_event_partition(m::timestamptz) from unnest(array['2014-01-01', '2014-06-01']) m`;
    const short = await orgWith(30, ["2014-01-05T10:00:00Z", "2014-01-06T10:00:00Z", "2014-01-07T10:00:00Z", "2014-06-03T10:00:00Z", "2014-06-04T10:00:00Z"]);
    const long = await orgWith(365, ["2014-01-08T10:00:00Z", "2014-01-09T10:00:00Z", "2014-01-10T10:00:00Z", "2014-01-11T10:00:00Z", "2014-06-05T10:00:00Z", "2014-06-06T10:00:00Z"]);
    expect(await partitionOf(short.org.id, 1)).toBe("audit_events_y2014m01");

    // In March 2014 the long-retention organization still keeps January: nothing goes, nothing is written.
    expect(await dropExpiredPartitions({ now: new Date("2014-03-15T00:00:00Z") })).not.toContain("audit_events_y2014m01");
    expect((await eventPartitions()).map((p) => p.name)).toContain("audit_events_y2014m01");
    expect(await eventsOf(short.org.id, "orgtrail.retention.purged")).toHaveLength(0);
    expect(await checkpointOf(long.org.id)).toBe(0);

    // By March 2015 January has expired for both; June has not for the long one.
    const dropped = await dropExpiredPartitions({ now: new Date("2015-03-01T00:00:00Z") });
    expect(dropped).toContain("audit_events_y2014m01");
    expect(dropped).not.toContain("audit_events_y2014m06");
    expect((await eventPartitions()).map((p) => p.name)).not.toContain("audit_events_y2014m01");
    for (const [{ org, scope }, through, left] of [[short, 3, 2], [long, 4, 2]] as const) {
      expect(await checkpointOf(org.id)).toBe(through);
      const purged = await eventsOf(org.id, "orgtrail.retention.purged");
      expect(purged).toHaveLength(1);
      expect(purged[0]!.metadata).toMatchObject({ count: through, through_seq: through, checkpoint_seq: through, partition: "audit_events_y2014m01" });
      expect(await countsOf(org.id)).toEqual({ hourly: left, stats: left, targets: left });
      // The remaining events and the purge event, from the new checkpoint on.
      expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: left + 1, first_bad_seq: null });
    }

    // The row-by-row purge takes the short organization's June after the drop, without counting January twice.
    expect(await purgeExpiredEvents(short.org.id, { now: new Date("2015-03-01T00:00:00Z") })).toMatchObject({ count: 2, throughSeq: 5 });
    expect(await countsOf(short.org.id)).toEqual({ hourly: 0, stats: 0, targets: 0 });
    expect(await verifyChain(short.scope)).toMatchObject({ ok: true });
  });

  it("leaves the month to a row-by-row purge already running, so the chain's latest purge event names the checkpoint it ends at", async () => {
    await sql()`select orgtrail_event_partition('2013-03-01'::timestamptz)`;
    const { org, scope } = await orgWith(30, ["2013-03-02T10:00:00Z", "2013-03-03T10:00:00Z", "2013-03-04T10:00:00Z", "2013-05-02T10:00:00Z", "2013-05-03T10:00:00Z"]);
    const now = new Date("2014-01-01T00:00:00Z");
    const dropsMeanwhile: string[][] = [];
    // A second worker runs the month drop between the purge's batches.
    const purged = await purgeExpiredEvents(org.id, { now, batchSize: 1, onBatch: async () => void dropsMeanwhile.push(await dropExpiredPartitions({ now })) });
    expect(purged).toMatchObject({ count: 5, throughSeq: 5 });
    // While the organization still had events in March the month stayed; once the purge had taken them, the empty month went.
    expect(dropsMeanwhile[0]).not.toContain("audit_events_y2013m03");
    expect(dropsMeanwhile.flat()).toContain("audit_events_y2013m03");
    // One purge event, the purge's own: the drops recorded none.
    expect(await eventsOf(org.id, "orgtrail.retention.purged")).toHaveLength(1);
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: 1, first_bad_seq: null });
  });

  it("keeps the month, counts untouched, when a checkpoint moves between the drop's count and its lock", async () => {
    await sql()`select orgtrail_event_partition('2012-04-01'::timestamptz)`;
    const { org, scope } = await orgWith(30, ["2012-04-02T10:00:00Z", "2012-04-03T10:00:00Z", "2012-04-04T10:00:00Z", "2012-06-02T10:00:00Z"]);
    const now = new Date("2013-01-01T00:00:00Z");
    const held = await sql().reserve();
    try {
      // Holds the chain's row as an append or a purge batch would; the drop counts, takes the month's targets out, then waits for it.
      await held`begin`;
      const [{ pid }] = await held<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await held`select 1 from event_chains where organization_id = ${org.id} for update`;
      const drop = dropExpiredPartitions({ now });
      await expect.poll(async () => (await sql()`select 1 from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`).length, { timeout: 10_000 }).toBe(1);
      // Meanwhile a purge moves the checkpoint (as if it had deleted the first event).
      await held`update event_chains set checkpoint_seq = 1 where organization_id = ${org.id}`;
      await held`commit`;
      expect(await drop).not.toContain("audit_events_y2012m04");
    } finally {
      held.release();
    }
    await sql()`update event_chains set checkpoint_seq = 0 where organization_id = ${org.id}`;
    // Everything rolled back: the month, its events and every count.
    expect((await eventPartitions()).map((p) => p.name)).toContain("audit_events_y2012m04");
    expect(await countsOf(org.id)).toEqual({ hourly: 4, stats: 4, targets: 4 });
    expect(await dropExpiredPartitions({ now })).toContain("audit_events_y2012m04");
    expect(await countsOf(org.id)).toEqual({ hourly: 1, stats: 1, targets: 1 });
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: 2 });
  });

  it("rolls everything back when the drop cannot get its lock, and drops the month on the next run", async () => {
    await sql()`select orgtrail_event_partition('2011-08-01'::timestamptz)`;
    const { org, scope } = await orgWith(30, ["2011-08-02T10:00:00Z", "2011-08-03T10:00:00Z", "2011-09-02T10:00:00Z"]);
    const held = await sql().reserve();
    try {
      await held`begin`;
      await held`lock table audit_events_y2011m08 in access share mode`;
      const started = Date.now();
      expect(await dropExpiredPartitions({ now: new Date("2012-01-01T00:00:00Z") })).not.toContain("audit_events_y2011m08");
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    } finally {
      await held`rollback`;
      held.release();
    }
    expect(await checkpointOf(org.id)).toBe(0);
    expect(await eventsOf(org.id, "orgtrail.retention.purged")).toHaveLength(0);
    expect(await countsOf(org.id)).toEqual({ hourly: 3, stats: 3, targets: 3 });

    expect(await dropExpiredPartitions({ now: new Date("2012-01-01T00:00:00Z") })).toContain("audit_events_y2011m08");
    expect(await checkpointOf(org.id)).toBe(2);
    expect(await countsOf(org.id)).toEqual({ hourly: 1, stats: 1, targets: 1 });
    expect(await verifyChain(scope)).toMatchObject({ ok: true, checked: 2 });
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { createKey, createOrg } from "@/db/testing/fixtures";
import { MAX_FUTURE_MS } from "../event-input";
import { STORED_FUTURE_MS } from "./visible-events";
import { searchEvents, searchQuery } from "../search";

/*
 * occurredSince adds received_at >= at - STORED_FUTURE_MS to every lower bound on
 * occurred_at, so a time-bounded read skips older months of audit_events. That
 * is only right while no stored row has an occurred_at further past its
 * receipt than ingest allows: the CHECK constraint holds every row to it, and
 * an event dated just past a month boundary but received just before it is
 * still found.
 */

const MINUTE = 60_000;
const monthStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
const monthName = (at: Date) => `audit_events_y${at.getUTCFullYear()}m${String(at.getUTCMonth() + 1).padStart(2, "0")}`;

let organizationId: string;
let scope: Scope;
/** The start of the current month: the boundary between two partitions. */
const boundary = monthStart(new Date());
const previousMonth = new Date(boundary.getTime() - 86_400_000);
const twoMonthsBack = monthStart(new Date(monthStart(previousMonth).getTime() - 86_400_000));

async function insertRaw(id: string, occurredAt: Date, receivedAt: Date): Promise<void> {
  await sql()`
    insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, targets, target_ids, target_types, search_text, hash, prev_hash)
    values (${organizationId}, ${id}, 1, 'test.boundary', 1, ${occurredAt}, ${receivedAt}, 'user', 'u_1', '[]', '{}', '{}', 'test.boundary', '', '')`;
}

beforeAll(async () => {
  const org = await createOrg("since");
  organizationId = org.id;
  scope = await resolveOrgScope((await createKey(org.id)).principal, org.slug);
  // The two months before this one as partitions of their own (a new database has only this month on).
  await sql()`select orgtrail_event_partition(m::timestamptz) from unnest(${[previousMonth.toISOString(), twoMonthsBack.toISOString()]}::text[]) m`;
});

describe("the occurred_at-by-receipt constraint", () => {
  it("takes an occurred_at up to STORED_FUTURE_MS past receipt, twice what ingest accepts, and refuses one a millisecond more", async () => {
    expect(STORED_FUTURE_MS).toBeGreaterThanOrEqual(2 * MAX_FUTURE_MS);
    const received = new Date(boundary.getTime() - 20 * MINUTE);
    await insertRaw("00000000-0000-7000-8000-000000000001", new Date(received.getTime() + STORED_FUTURE_MS), received);
    const refused = await insertRaw("00000000-0000-7000-8000-000000000002", new Date(received.getTime() + STORED_FUTURE_MS + 1), received).then(
      () => null,
      (error: { code?: string; constraint_name?: string }) => error,
    );
    expect(refused?.code).toBe("23514");
    expect(refused?.constraint_name).toBe("audit_events_occurred_by_receipt");
  });

  it("holds on a month made after it (orgtrail_event_partition copies it)", async () => {
    const [row] = await sql()<{ n: number }[]>`
      select count(*)::int as n from pg_constraint where conname = 'audit_events_occurred_by_receipt' and conrelid = ${monthName(twoMonthsBack)}::regclass`;
    expect(row!.n).toBe(1);
  });
});

describe("reads bounded below by occurred_at", () => {
  it("find an event dated just past the month boundary but received just before it", async () => {
    const id = "00000000-0000-7000-8000-0000000000b1";
    await insertRaw(id, new Date(boundary.getTime() + MINUTE), new Date(boundary.getTime() + MINUTE - STORED_FUTURE_MS));
    const page = await searchEvents(scope, { from: boundary, limit: 50, order: "desc" });
    expect(page.data.map((e) => e.id)).toContain(id);
    const term = await searchEvents(scope, { q: `occurred:>=${boundary.toISOString()}`, limit: 50, order: "desc" });
    expect(term.data.map((e) => e.id)).toContain(id);
  });

  async function plannedMonths(from: Date): Promise<string> {
    const { sql: text, params } = searchQuery(scope, { from, limit: 50, order: "desc" }).toSQL();
    const rows = await sql().unsafe(`explain ${text}`, params as never[]);
    return rows.map((row) => String(row["QUERY PLAN"])).join("\n");
  }

  it("plan only the months a row at or after `from` can have been received in", async () => {
    const atBoundary = await plannedMonths(boundary);
    expect(atBoundary).toContain(monthName(boundary));
    // Received up to STORED_FUTURE_MS before the boundary: the month before is read, the one before that is not.
    expect(atBoundary).toContain(monthName(previousMonth));
    expect(atBoundary).not.toContain(monthName(twoMonthsBack));
    const anHourIn = await plannedMonths(new Date(boundary.getTime() + 3_600_000));
    expect(anHourIn).not.toContain(monthName(previousMonth));
  });

  it("bound received_at at the start of the month STORED_FUTURE_MS before `from`: every row of a month read passes it", () => {
    const bound = (from: string) => searchQuery(scope, { from: new Date(from), limit: 50, order: "desc" }).toSQL().params.at(-2);
    expect(bound("2026-11-20T13:45:00.000Z")).toBe("2026-11-01T00:00:00.000Z");
    // Less than STORED_FUTURE_MS into a month: the month before may hold its rows.
    expect(bound("2026-11-01T00:04:00.000Z")).toBe("2026-10-01T00:00:00.000Z");
    expect(bound("0001-01-01T00:01:00.000Z")).toBe("0001-01-01T00:00:00.000Z");
  });

  it("take a `from` at the earliest accepted time without a database error", async () => {
    const page = await searchEvents(scope, { from: new Date("0001-01-01T00:01:00.000Z"), limit: 5, order: "desc" });
    expect(page.data.length).toBeGreaterThan(0);
  });
});

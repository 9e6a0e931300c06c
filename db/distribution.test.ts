import { describe, expect, it } from "vitest";
import { sql } from "./client";

/*
 * The schema stays ready to be distributed with Citus by organization_id
 * (README "Scaling out"): every table is placed below, a distributed table's
 * unique keys all lead with organization_id, and a foreign key between
 * distributed tables joins on it. A new table fails here until it is placed.
 */

/** Tenant data, sharded by organization_id: create_distributed_table(name, 'organization_id', colocate_with => 'audit_events'). */
const DISTRIBUTED = [
  "audit_events",
  "event_chains",
  "idempotency_keys",
  "exports",
  "action_stats",
  "event_counts_hourly",
  "event_counts_daily",
  "event_target_counts_hourly",
  "memberships",
  "log_streams",
  "log_stream_deliveries",
  "saved_searches",
] as const;

/** Small tables every node reads, looked up by id, hash or key across organizations: create_reference_table(name). */
const REFERENCE = ["organizations", "users", "api_keys", "event_schemas", "settings", "invites", "portal_links", "sessions", "user_tokens", "support_grants"] as const;

/** Stays on the coordinator only: the job queue (its SKIP LOCKED claims need one copy). */
const COORDINATOR = ["jobs"] as const;

async function tables(): Promise<string[]> {
  const rows = await sql()<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`;
  return rows.map((r) => r.name);
}

describe("the schema is ready to distribute by organization_id", () => {
  it("places every table as distributed, reference or coordinator-only", async () => {
    const placed = [...DISTRIBUTED, ...REFERENCE, ...COORDINATOR] as string[];
    expect(new Set(placed).size).toBe(placed.length);
    expect(await tables()).toEqual([...placed].sort());
  });

  it("leads every unique key (primary keys too) of a distributed table with a non-null organization_id", async () => {
    const rows = await sql()<{ table: string; index: string; first: string; nullable: boolean }[]>`
      select c.relname as table, i.relname as index, a.attname as first, not a.attnotnull as nullable
      from pg_index x
      join pg_class c on c.oid = x.indrelid
      join pg_class i on i.oid = x.indexrelid
      join pg_attribute a on a.attrelid = c.oid and a.attnum = x.indkey[0]
      where x.indisunique and c.relname = any(${[...DISTRIBUTED]})`;
    const offenders = rows.filter((r) => r.first !== "organization_id" || r.nullable).map((r) => `${r.table}.${r.index} leads with ${r.first}`);
    expect(offenders).toEqual([]);
    expect(new Set(rows.map((r) => r.table))).toEqual(new Set(DISTRIBUTED));
  });

  it("joins distributed tables only on organization_id, and no other table points at one", async () => {
    const rows = await sql()<{ from: string; to: string; columns: string[]; referenced: string[] }[]>`
      select f.relname as from, t.relname as to,
        array(select attname from unnest(k.conkey) with ordinality u(n, o) join pg_attribute on attrelid = k.conrelid and attnum = u.n order by o)::text[] as columns,
        array(select attname from unnest(k.confkey) with ordinality u(n, o) join pg_attribute on attrelid = k.confrelid and attnum = u.n order by o)::text[] as referenced
      from pg_constraint k join pg_class f on f.oid = k.conrelid join pg_class t on t.oid = k.confrelid
      where k.contype = 'f' and t.relname = any(${[...DISTRIBUTED]})`;
    const distributed = new Set<string>(DISTRIBUTED);
    for (const key of rows) {
      expect(distributed.has(key.from), `${key.from} → ${key.to}: only a distributed table may point at a distributed one`).toBe(true);
      expect([key.columns[0], key.referenced[0]], `${key.from} → ${key.to}`).toEqual(["organization_id", "organization_id"]);
    }
  });
});

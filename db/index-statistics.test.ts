import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { env } from "@/lib/env";
import { analyzeUnmeasuredIndexes } from "./index-statistics";

describe("analyzeUnmeasuredIndexes", () => {
  it("analyzes a month with rows whose index expressions have no statistics, and then leaves it", async () => {
    const [{ month }] = await sql()<{ month: string }[]>`select orgtrail_event_partition('2031-03-15T00:00:00Z') as month`;
    const [org] = await sql()<{ id: string }[]>`insert into organizations (name, slug) values ('stats', ${`stats-${Date.now()}`}) returning id`;
    await sql()`
      insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, actor_name, targets, target_ids, target_types, search_text, hash, prev_hash)
      select ${org!.id}, gen_random_uuid(), g, 'test.a', 1, '2031-03-15T00:00:00Z'::timestamptz + g * interval '1 second', '2031-03-15T00:00:00Z'::timestamptz + g * interval '1 second',
        'user', 'u_' || (g % 5), 'Person ' || (g % 5), '[]', '{}', '{}', 'test.a', '', ''
      from generate_series(1, 500) g`;
    const measured = async () => {
      const [{ n }] = await sql()<{ n: number }[]>`
        select count(*)::int as n from pg_statistic s join pg_index i on i.indexrelid = s.starelid where i.indrelid = ${month}::regclass and 0 = any(i.indkey::int2[])`;
      return n;
    };
    expect(await measured()).toBe(0);
    expect(await analyzeUnmeasuredIndexes(env().DATABASE_URL)).toContain(month);
    expect(await measured()).toBeGreaterThan(0);
    expect(await analyzeUnmeasuredIndexes(env().DATABASE_URL)).not.toContain(month);
  });
});

import postgres from "postgres";

/**
 * Analyzes each month of audit_events that has an index expression with no
 * statistics: one a migration has just built (0014's lower(actor_name) and
 * lower(email) with occurred_at). Until then the planner guesses how many
 * events a name matches, and autovacuum analyzes a table for its changed rows,
 * not for a new index. Run in the background after start, so the migration
 * does not hold its locks on audit_events meanwhile (ANALYZE takes none that
 * block reads or writes; on 10 million events it took ~3 minutes inside the
 * migration). An empty month has no statistics to keep and costs nothing.
 */
export async function analyzeUnmeasuredIndexes(databaseUrl: string): Promise<string[]> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const months = await sql<{ name: string }[]>`
      select distinct i.indrelid::regclass::text as name
      from pg_index i join pg_inherits p on p.inhrelid = i.indrelid
      where p.inhparent = 'audit_events'::regclass and 0 = any(i.indkey::int2[])
        and not exists (select 1 from pg_statistic s where s.starelid = i.indexrelid)
        and exists (select 1 from pg_class c where c.oid = i.indrelid and c.reltuples <> 0)
      order by 1`;
    for (const { name } of months) await sql`analyze ${sql(name)}`;
    return months.map((m) => m.name);
  } finally {
    await sql.end();
  }
}

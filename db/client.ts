import postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import * as schema from "./schema";
import { env } from "@/lib/env";

export type Database = PostgresJsDatabase<typeof schema>;
export type Sql = postgres.Sql;

type Connection = { sql: Sql; db: Database; drizzlePool: Sql };

// One pool per process, kept across dev hot reloads.
const globalForDb = globalThis as unknown as { orgtrailDb?: Connection };

const pool = (max: number, statementTimeoutMs?: number): Sql =>
  // JIT compiles for seconds to save milliseconds on short indexed queries like ours.
  postgres(env().DATABASE_URL, {
    max,
    onnotice: () => {},
    connection: { application_name: "orgtrail", jit: "off", ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}) },
  });

// drizzle swaps the json and timestamp serializers of the client it wraps, so the
// raw postgres.js queries of the hot paths (ingest, retention, jobs) get a pool of
// their own with the defaults. The drizzle pool serves the interactive reads, so
// its statements stop after ORGTRAIL_QUERY_TIMEOUT_MS (a 503 query_timeout).
function connect(): Connection {
  const drizzlePool = pool(env().ORGTRAIL_DB_POOL_MAX, env().ORGTRAIL_QUERY_TIMEOUT_MS);
  return { sql: pool(env().ORGTRAIL_DB_POOL_MAX), db: drizzle(drizzlePool, { schema, logger: env().ORGTRAIL_LOG_SQL === "1" }), drizzlePool };
}

function connection(): Connection {
  globalForDb.orgtrailDb ??= connect();
  return globalForDb.orgtrailDb;
}

export const db = (): Database => connection().db;
export const sql = (): Sql => connection().sql;
/** The interactive reads' pool itself (statement timeout included), for a drizzle-built read whose rows skip drizzle's mapping. */
export const readSql = (): Sql => connection().drizzlePool;

export async function closeDb(): Promise<void> {
  const current = globalForDb.orgtrailDb;
  globalForDb.orgtrailDb = undefined;
  await Promise.all([current?.sql.end({ timeout: 5 }), current?.drizzlePool.end({ timeout: 5 })]);
}

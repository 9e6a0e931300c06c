import { sql as drizzleSql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { toErrorResponse } from "./error-response";

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the query to fail");
    },
    (error: unknown) => error,
  );
}

describe("query timeouts", () => {
  it("the pool of interactive reads stops statements after ORGTRAIL_QUERY_TIMEOUT_MS", async () => {
    const [row] = (await db().execute(drizzleSql`select current_setting('statement_timeout') as timeout`)) as unknown as { timeout: string }[];
    expect(row!.timeout).toBe("5s");
  });

  it("a read stopped by the timeout is a 503 query_timeout that tells the caller what to do, without SQL", async () => {
    const error = await thrown(
      db().transaction(async (tx) => {
        await tx.execute(drizzleSql`set local statement_timeout = 50`);
        await tx.execute(drizzleSql`select pg_sleep(2), ${"secret-search-term"}::text`);
      }),
    );
    const response = toErrorResponse(error);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("query_timeout");
    expect(body.error.message).toMatch(/narrow the time range/);
    expect(JSON.stringify(body)).not.toMatch(/pg_sleep|secret-search-term/);
  });
});

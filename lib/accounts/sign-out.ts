import "server-only";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import { describeError } from "@/db/errors";
import { NO_REQUEST } from "@/lib/auth/request-context";
import { isUuid } from "@/lib/uuid";
import { recordUserEvent } from "./sign-in-events";

/**
 * Sign-out: ends the session and records `orgtrail.user.signed_out`, together.
 * If the event cannot be written the session is still ended on its own (a
 * session that outlives its sign-out is worse than a missing event), and the
 * failure is logged by its code. Never throws: next-auth would log the error's
 * message and clear the cookie anyway.
 */
export async function endSession(id: unknown): Promise<void> {
  if (typeof id !== "string" || !isUuid(id)) return;
  const revoke = (tx: TransactionSql) => tx<{ user_id: string }[]>`
    update sessions set revoked_at = now() where id = ${id} and revoked_at is null returning user_id`;
  try {
    await sql().begin(async (tx) => {
      const [ended] = await revoke(tx);
      if (ended) await recordUserEvent(tx, ended.user_id, "orgtrail.user.signed_out", NO_REQUEST);
    });
  } catch (error) {
    console.error(`[auth] sign-out could not be recorded: ${describeError(error)}`);
    try {
      await sql().begin(revoke);
    } catch (retryError) {
      console.error(`[auth] sign-out could not end the session: ${describeError(retryError)}`);
    }
  }
}

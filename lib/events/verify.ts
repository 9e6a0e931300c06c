import "server-only";
import { and, asc, eq, gt } from "drizzle-orm";
import { db } from "@/db/client";
import { auditEvents, organizations } from "@/db/schema";
import type { Scope } from "@/lib/access/scope";
import { chainHash } from "./chain";
import { eventColumns } from "./event-columns";
import { eventsVisibleTo } from "./scoped-query";
import { toAuditEvent, withoutHash, type StoredEventRow } from "./stored-event";

const CHUNK = 5000;

export type VerifyResult = { ok: boolean; checked: number; first_bad_seq: number | null };

/**
 * Walks the organization's chain in seq order, a chunk at a time: every seq
 * present once, each prev_hash the hash before it, each hash recomputed from
 * the stored event, and the organization's head matching the last event.
 */
export async function verifyChain(scope: Scope): Promise<VerifyResult> {
  const [org] = await db()
    .select({ chainSeq: organizations.chainSeq, chainHash: organizations.chainHash, checkpointSeq: organizations.checkpointSeq, checkpointHash: organizations.checkpointHash })
    .from(organizations)
    .where(eq(organizations.id, scope.organization.id));
  if (!org) return { ok: false, checked: 0, first_bad_seq: null };
  let expectedSeq = org.checkpointSeq + 1;
  let prevHash = org.checkpointHash;
  let checked = 0;
  for (;;) {
    const rows = (await db()
      .select({ ...eventColumns, prevHash: auditEvents.prevHash })
      .from(auditEvents)
      .where(and(eventsVisibleTo(scope), gt(auditEvents.seq, expectedSeq - 1)))
      .orderBy(asc(auditEvents.seq))
      .limit(CHUNK)) as (StoredEventRow & { prevHash: string })[];
    for (const row of rows) {
      const event = toAuditEvent(row);
      if (event.seq !== expectedSeq || row.prevHash !== prevHash || chainHash(prevHash, withoutHash(event)) !== row.hash) {
        return { ok: false, checked, first_bad_seq: expectedSeq };
      }
      checked += 1;
      prevHash = row.hash;
      expectedSeq += 1;
    }
    if (rows.length < CHUNK) break;
  }
  // Events committed after the head was read are not checked against it.
  if (expectedSeq - 1 < org.chainSeq) return { ok: false, checked, first_bad_seq: expectedSeq };
  if (expectedSeq - 1 === org.chainSeq && prevHash !== org.chainHash) return { ok: false, checked, first_bad_seq: org.chainSeq };
  return { ok: true, checked, first_bad_seq: null };
}

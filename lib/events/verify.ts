import "server-only";
import { asc, between, eq, gt, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db, type Database } from "@/db/client";
import { eventChains } from "@/db/schema";
import type { Scope } from "@/lib/access/scope";
import { searchText } from "./append";
import { chainHash, GENESIS_HASH, type ChainPoint } from "./chain";
import { checkpointNamedBy, type NamedCheckpoint } from "./checkpoint";
import { eventColumns } from "./event-columns";
import { visibleEvents, type VisibleEvents } from "./store/visible-events";
import { toAuditEvent, withoutHash, type StoredEventRow } from "./stored-event";
import type { AuditEvent } from "./types";

const CHUNK = 5000;

/** How the head the caller saw earlier compares with the chain now. */
export type ExpectedHead = "matched" | "mismatched" | "missing" | "purged";

export type VerifyResult = {
  ok: boolean;
  checked: number;
  first_bad_seq: number | null;
  head: ChainPoint;
  checkpoint: ChainPoint;
  expected_head?: ExpectedHead;
};

/** `expect_head=<seq>:<hash>`: a head the caller kept (an export's Orgtrail-Chain-Head, an earlier verify's head). */
export const verifyQuery = z.object({
  expect_head: z
    .string()
    .regex(/^(?:0:|[1-9]\d{0,14}:[0-9a-f]{64})$/, "must be <seq>:<hash> as in the Orgtrail-Chain-Head header")
    .transform((value): ChainPoint => ({ seq: Number(value.slice(0, value.indexOf(":"))), hash: value.slice(value.indexOf(":") + 1) }))
    .optional(),
});

type Reader = Pick<Database, "select">;

/**
 * The columns that are not inside the hash, compared with what is derived from
 * hashed data where PostgreSQL does it cheaper than Node: target_ids and
 * target_types are the targets' ids and types in order; times hold no digits
 * below the milliseconds the hash has; ip is a single address, never an
 * IPv4-mapped IPv6 one (the event gives those as IPv4); metadata is an object
 * and actor_metadata an object or SQL NULL (a JSON null reads as no metadata).
 */
const derivedColumnsMatch = (events: VisibleEvents) => sql<boolean | null>`case when jsonb_typeof(${events.targets}) <> 'array' then false else
  ${events.targetIds} = array(select t.e ->> 'id' from jsonb_array_elements(${events.targets}) with ordinality as t(e, n) order by t.n)
  and ${events.targetTypes} = array(select t.e ->> 'type' from jsonb_array_elements(${events.targets}) with ordinality as t(e, n) order by t.n)
  and date_trunc('milliseconds', ${events.occurredAt}) = ${events.occurredAt}
  and date_trunc('milliseconds', ${events.receivedAt}) = ${events.receivedAt}
  and (${events.ip} is null or (masklen(${events.ip}) = case family(${events.ip}) when 4 then 32 else 128 end
    and not ${events.ip} << '::ffff:0:0/96'::cidr))
  and jsonb_typeof(${events.metadata}) = 'object'
  and (${events.actorMetadata} is null or jsonb_typeof(${events.actorMetadata}) = 'object') end`;

const verifyColumns = (events: VisibleEvents) => ({ ...eventColumns(events), prevHash: events.prevHash, searchText: events.searchText, derivedColumnsMatch: derivedColumnsMatch(events) });

type VerifyRow = StoredEventRow & { prevHash: string; searchText: string; derivedColumnsMatch: boolean | null };

/**
 * search_text holds the lines searchText() derives from the event. jsonb does not
 * keep the key order the metadata had when the text was built, so the lines may
 * come in another order; compared as sorted lists when the texts differ.
 */
function sameLines(stored: string, derived: string): boolean {
  if (stored === derived) return true;
  if (stored.length !== derived.length) return false;
  const a = stored.split("\n").sort();
  const b = derived.split("\n").sort();
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

const ENTITY_KEYS = new Set(["type", "id", "name", "metadata"]);

/** Whether the targets column is exactly the hashed targets: toAuditEvent drops keys it does not know and a null name or metadata. */
function targetsAsHashed(targets: unknown[]): boolean {
  return targets.every(
    (target) =>
      typeof target === "object" &&
      target !== null &&
      !Array.isArray(target) &&
      Object.entries(target).every(([key, value]) => ENTITY_KEYS.has(key) && (value !== null || key === "type" || key === "id")),
  );
}

/** The row's event if the row is exactly the chained event after prevHash (hash, link and every derived column), else null. */
function chainedEvent(row: VerifyRow, prevHash: string): AuditEvent | null {
  if (row.prevHash !== prevHash || row.derivedColumnsMatch !== true || !targetsAsHashed(row.targets)) return null;
  const event = toAuditEvent(row);
  const holds =
    chainHash(prevHash, withoutHash(event)) === row.hash &&
    (row.ip === null) === (event.context.location === undefined) &&
    sameLines(row.searchText, searchText(event));
  return holds ? event : null;
}

type Walk = { checked: number; firstBad: number | null; named: NamedCheckpoint | null };

async function firstStoredSeq(tx: Reader, events: VisibleEvents, where: SQL): Promise<number | null> {
  const [row] = await tx.select({ seq: events.seq }).from(events).where(where).orderBy(asc(events.seq)).limit(1);
  return row ? Number(row.seq) : null;
}

/**
 * Walks the chain from the checkpoint to the head in seq order, a range of
 * seqs per query: each query reads at most CHUNK rows whatever plan
 * PostgreSQL picks, so the walk stays linear in the chain's length.
 */
async function walkChain(tx: Reader, events: VisibleEvents, checkpoint: ChainPoint, head: ChainPoint): Promise<Walk> {
  let expectedSeq = checkpoint.seq + 1;
  let prevHash = checkpoint.hash;
  let named: NamedCheckpoint | null = null;
  const stop = (firstBad: number): Walk => ({ checked: expectedSeq - checkpoint.seq - 1, firstBad, named });
  if (checkpoint.seq > head.seq) return stop(head.seq + 1);
  // An event at or before the checkpoint is one a purge should have deleted, or one the checkpoint was moved over.
  const beforeCheckpoint = await firstStoredSeq(tx, events, lte(events.seq, checkpoint.seq));
  if (beforeCheckpoint !== null) return stop(beforeCheckpoint);
  const readRange = (from: number): Promise<VerifyRow[]> | null => {
    if (from > head.seq) return null;
    const rows = tx
      .select(verifyColumns(events))
      .from(events)
      .where(between(events.seq, from, Math.min(from + CHUNK - 1, head.seq)))
      .orderBy(asc(events.seq))
      .execute() as Promise<VerifyRow[]>;
    // A walk that stops early leaves the read ahead unawaited: its failure is not an unhandled rejection.
    rows.catch(() => undefined);
    return rows;
  };
  // Each range is read while Node checks the one before.
  for (let next = readRange(expectedSeq); next; ) {
    const rows = await next;
    const upTo = Math.min(expectedSeq + CHUNK - 1, head.seq);
    next = readRange(upTo + 1);
    for (const row of rows) {
      const event = Number(row.seq) === expectedSeq ? chainedEvent(row, prevHash) : null;
      if (!event) return stop(expectedSeq);
      named = checkpointNamedBy(event) ?? named;
      prevHash = row.hash;
      expectedSeq += 1;
    }
    if (expectedSeq <= upTo) return stop(expectedSeq);
  }
  if (prevHash !== head.hash) return stop(head.seq);
  // An event past the head: the head was set back over it.
  if ((await firstStoredSeq(tx, events, gt(events.seq, head.seq))) !== null) return stop(head.seq + 1);
  return { checked: expectedSeq - checkpoint.seq - 1, firstBad: null, named };
}

async function storedHash(tx: Reader, events: VisibleEvents, seq: number): Promise<string | null> {
  const [row] = await tx.select({ hash: events.hash }).from(events).where(eq(events.seq, seq));
  return row?.hash ?? null;
}

/**
 * The checkpoint holds only where the latest purge event in the chain puts it,
 * or before that while a purge is still deleting (the event it named must then
 * still be stored, unchanged). Anything else hides deleted events: the first
 * seq that should still be there is bad.
 */
async function checkpointBreak(tx: Reader, events: VisibleEvents, checkpoint: ChainPoint, named: NamedCheckpoint | null): Promise<number | null> {
  if (checkpoint.seq === 0) return null;
  if (!named || named.seq < checkpoint.seq) return (named?.seq ?? 0) + 1;
  if (named.seq === checkpoint.seq) return named.hash === null || named.hash === checkpoint.hash ? null : checkpoint.seq + 1;
  if (named.hash === null) return null;
  return (await storedHash(tx, events, named.seq)) === named.hash ? null : named.seq;
}

async function expectedHeadOutcome(tx: Reader, events: VisibleEvents, expected: ChainPoint, head: ChainPoint, checkpoint: ChainPoint): Promise<ExpectedHead> {
  if (expected.seq === 0) return "matched";
  if (expected.seq > head.seq) return "missing";
  if (expected.seq < checkpoint.seq) return "purged";
  const hash = expected.seq === checkpoint.seq ? checkpoint.hash : await storedHash(tx, events, expected.seq);
  return hash === expected.hash ? "matched" : "mismatched";
}

/**
 * Checks the organization's chain in one snapshot (so appends and purges running
 * meanwhile cannot look like tampering): every seq from the checkpoint to the
 * head present once, each prev_hash the hash before it, each hash recomputed
 * from the stored event, every column outside the hash derived from it, the
 * head the last event, and the checkpoint one a recorded purge set. With an
 * expected head (one the caller saw earlier), also that the chain still holds
 * it: a head set back together with its events is found only that way.
 */
export async function verifyChain(scope: Scope, expected?: ChainPoint): Promise<VerifyResult> {
  const events = visibleEvents(scope);
  return db().transaction(
    async (tx) => {
      const [chain] = await tx
        .select({ chainSeq: eventChains.chainSeq, chainHash: eventChains.chainHash, checkpointSeq: eventChains.checkpointSeq, checkpointHash: eventChains.checkpointHash })
        .from(eventChains)
        .where(eq(eventChains.organizationId, scope.organization.id));
      // No chain row: the organization has had no event.
      const head = { seq: Number(chain?.chainSeq ?? 0), hash: chain?.chainHash ?? GENESIS_HASH };
      const checkpoint = { seq: Number(chain?.checkpointSeq ?? 0), hash: chain?.checkpointHash ?? GENESIS_HASH };
      const walk = await walkChain(tx, events, checkpoint, head);
      let firstBad = walk.firstBad ?? (await checkpointBreak(tx, events, checkpoint, walk.named));
      const outcome = expected ? await expectedHeadOutcome(tx, events, expected, head, checkpoint) : undefined;
      if (firstBad === null && outcome === "missing") firstBad = head.seq + 1;
      if (firstBad === null && outcome === "mismatched") firstBad = expected!.seq;
      return { ok: firstBad === null, checked: walk.checked, first_bad_seq: firstBad, head, checkpoint, ...(outcome ? { expected_head: outcome } : {}) };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

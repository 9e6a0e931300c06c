import "server-only";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import { appendInTransaction } from "./append";
import { announceAppended } from "./live/appended-notifications";
import type { AppendedEvent, PreparedEvent } from "./types";

export type Idempotency = { key: string; requestHash: string };
export type AppendOutcome =
  | { kind: "appended"; events: AppendedEvent[] }
  | { kind: "replayed"; response: unknown }
  | { kind: "conflict" };

type Job = {
  events: PreparedEvent[];
  idempotency?: Idempotency;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
};

// A group stops growing here so one transaction stays short.
const MAX_EVENTS_PER_GROUP = 5000;
const queues = new Map<string, Job[]>();

/**
 * Appends one request's events. Requests for the same organization that arrive
 * while a transaction is running are folded into the next one (group commit):
 * one chain-head lock and one commit for many requests, and each request is
 * answered only after the commit that holds its events.
 */
export function appendEvents(organizationId: string, events: PreparedEvent[], idempotency?: Idempotency): Promise<AppendOutcome> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(organizationId);
    const job = { events, idempotency, resolve, reject };
    if (queue) {
      queue.push(job);
      return;
    }
    queues.set(organizationId, [job]);
    void drain(organizationId);
  });
}

function takeGroup(queue: Job[]): Job[] {
  const group: Job[] = [];
  const keys = new Set<string>();
  let size = 0;
  for (let i = 0; i < queue.length; ) {
    const job = queue[i]!;
    const key = job.idempotency?.key;
    const full = group.length > 0 && size + job.events.length > MAX_EVENTS_PER_GROUP;
    // A repeated key waits for the next group, where it finds the first one's stored answer.
    if (full || (key !== undefined && keys.has(key))) {
      i += 1;
      continue;
    }
    if (key !== undefined) keys.add(key);
    size += job.events.length;
    group.push(job);
    queue.splice(i, 1);
  }
  return group;
}

async function drain(organizationId: string): Promise<void> {
  const queue = queues.get(organizationId)!;
  while (queue.length > 0) {
    const group = takeGroup(queue);
    try {
      const outcomes = await sql().begin((tx) => commitGroup(tx, organizationId, group));
      const headSeq = Math.max(0, ...outcomes.flatMap((outcome) => (outcome.kind === "appended" ? outcome.events.map((event) => event.seq) : [])));
      if (headSeq > 0) announceAppended(organizationId, headSeq);
      group.forEach((job, i) => job.resolve(outcomes[i]!));
    } catch (error) {
      for (const job of group) job.reject(error);
    }
  }
  queues.delete(organizationId);
}

async function claimKey(tx: TransactionSql, organizationId: string, idempotency: Idempotency): Promise<AppendOutcome | null> {
  const claimed = await tx`
    insert into idempotency_keys (organization_id, key, request_hash, response)
    values (${organizationId}, ${idempotency.key}, ${idempotency.requestHash}, 'null'::jsonb)
    on conflict (organization_id, key) do update
      set request_hash = excluded.request_hash, response = excluded.response, created_at = now()
      where idempotency_keys.created_at < now() - interval '24 hours'
    returning key`;
  if (claimed.length > 0) return null;
  const [existing] = await tx<{ request_hash: string; response: unknown }[]>`
    select request_hash, response from idempotency_keys
    where organization_id = ${organizationId} and key = ${idempotency.key}`;
  if (!existing || existing.request_hash !== idempotency.requestHash) return { kind: "conflict" };
  return { kind: "replayed", response: existing.response };
}

async function commitGroup(tx: TransactionSql, organizationId: string, group: Job[]): Promise<AppendOutcome[]> {
  const outcomes: (AppendOutcome | null)[] = new Array(group.length).fill(null);
  // Keys are claimed in sorted order so two instances never wait on each other in a cycle.
  const keyed = group.map((job, i) => ({ job, i })).filter(({ job }) => job.idempotency);
  keyed.sort((a, b) => (a.job.idempotency!.key < b.job.idempotency!.key ? -1 : 1));
  for (const { job, i } of keyed) outcomes[i] = await claimKey(tx, organizationId, job.idempotency!);

  const writing = group.map((job, i) => ({ job, i })).filter(({ i }) => outcomes[i] === null);
  // Announced after the commit (drain): a NOTIFY here would order this commit behind every other organization's.
  const appended = await appendInTransaction(tx, organizationId, writing.flatMap(({ job }) => job.events), { notify: false });
  let offset = 0;
  for (const { job, i } of writing) {
    const events = appended.slice(offset, offset + job.events.length);
    offset += job.events.length;
    outcomes[i] = { kind: "appended", events };
    if (job.idempotency) {
      await tx`update idempotency_keys set response = ${tx.json({ data: events })}
        where organization_id = ${organizationId} and key = ${job.idempotency.key}`;
    }
  }
  return outcomes as AppendOutcome[];
}

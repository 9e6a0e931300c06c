import type { AuditEvent } from "./types";

/**
 * Where an organization's chain starts after a retention purge. A purge first
 * appends `orgtrail.retention.purged` naming the checkpoint it will end at
 * (checkpoint_seq, checkpoint_hash: its last expired event), then deletes up to
 * it. /verify accepts a checkpoint only if the latest such event in the chain
 * names it, or names a later one that a purge still running has not reached.
 */
export const PURGE_ACTION = "orgtrail.retention.purged";
export const RETENTION_ACTOR = { type: "system", id: "orgtrail.retention", name: "Retention policy" };

/** A checkpoint a purge event names; hash is null for events written before purges recorded it (through_seq alone). */
export type NamedCheckpoint = { seq: number; hash: string | null };

export function checkpointNamedBy(event: Pick<AuditEvent, "action" | "actor" | "metadata">): NamedCheckpoint | null {
  if (event.action !== PURGE_ACTION || event.actor.type !== RETENTION_ACTOR.type || event.actor.id !== RETENTION_ACTOR.id) return null;
  const { checkpoint_seq: checkpointSeq, checkpoint_hash: hash, through_seq: throughSeq } = event.metadata;
  const seq = checkpointSeq ?? throughSeq;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) return null;
  return { seq, hash: typeof hash === "string" ? hash : null };
}

import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { AuditEvent } from "./types";

/** The prev_hash of an organization's first event (seq 1). */
export const GENESIS_HASH = "";

/** A position in an organization's chain: the head (last event) or the checkpoint (last purged event; seq 0 and GENESIS_HASH before any purge). */
export type ChainPoint = { seq: number; hash: string };

/**
 * hash = lowercase hex SHA-256 of the UTF-8 bytes of prev_hash (hex text) followed by
 * the RFC 8785 canonical JSON of the event as the API returns it, without its hash.
 */
export function chainHash(prevHash: string, event: Omit<AuditEvent, "hash">): string {
  const canonical = canonicalize(event);
  if (canonical === undefined) throw new Error("event cannot be canonicalized");
  return createHash("sha256").update(prevHash).update(canonical).digest("hex");
}

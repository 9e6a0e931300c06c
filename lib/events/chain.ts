import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { AuditEvent } from "./types";

export const GENESIS_HASH = "";

/** hash = SHA-256(prev_hash ‖ RFC 8785 canonical JSON of the stored event without its hash). */
export function chainHash(prevHash: string, event: Omit<AuditEvent, "hash">): string {
  const canonical = canonicalize(event);
  if (canonical === undefined) throw new Error("event cannot be canonicalized");
  return createHash("sha256").update(prevHash).update(canonical).digest("hex");
}

import { createHash } from "node:crypto";
import { AppError, notFound } from "@/lib/errors";
import { isWithinTimeBounds } from "./time-bounds";
import { isUuid } from "@/lib/uuid";

export type CursorPosition = { occurredAt: string; id: string };

type CursorPayload = { t: string; i: string; o: string; f: string };

/** A short fingerprint of everything that shapes a result set, bound into its cursors. */
export function filterFingerprint(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
}

export function encodeCursor(position: CursorPosition, organizationId: string, fingerprint: string): string {
  const payload: CursorPayload = { t: position.occurredAt, i: position.id, o: organizationId, f: fingerprint };
  return Buffer.from(JSON.stringify(payload)).toString("base64url");
}


/**
 * Reads a cursor back. One made for another organization is a 404 (as the
 * organization's data would be); one made for another filter is a 400, so a
 * cursor can never widen the query it is used with. Its fingerprint can be
 * recomputed, so its time is checked as any time a caller sends.
 */
export function decodeCursor(cursor: string, organizationId: string, fingerprint: string): CursorPosition {
  let payload: CursorPayload;
  try {
    if (cursor.length > 512) throw new Error("too long");
    payload = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorPayload;
  } catch {
    throw invalid();
  }
  if (typeof payload !== "object" || payload === null || typeof payload.t !== "string" || typeof payload.i !== "string" || !(isUuid(payload.i) && payload.i === payload.i.toLowerCase()) || !isWithinTimeBounds(Date.parse(payload.t))) {
    throw invalid();
  }
  if (payload.o !== organizationId) throw notFound("Cursor not found");
  if (payload.f !== fingerprint) throw new AppError("invalid_query", "This cursor belongs to another query; start again without it", [{ path: "cursor", message: "was made for another filter" }]);
  return { occurredAt: payload.t, id: payload.i };
}

function invalid() {
  return new AppError("invalid_query", "The cursor is not valid", [{ path: "cursor", message: "is not a cursor returned by this API" }]);
}

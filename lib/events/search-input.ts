import { z } from "zod";
import { isWithinTimeBounds, TIME_BOUNDS_TEXT } from "@/lib/events/time-bounds";

/** An RFC 3339 time within the bounds every time input shares (lib/events/time-bounds.ts), as a Date. */
export const apiTime = z.iso
  .datetime({ offset: true, error: "must be an RFC 3339 time, like 2026-11-01T00:00:00Z" })
  .transform((t) => new Date(t))
  .refine(isWithinTimeBounds, `must lie ${TIME_BOUNDS_TEXT}`);

/** The query string of GET /api/v1/orgs/{org}/events (and of exports, which take the same filter). */
export const eventFilterInput = z.object({
  // Checked term by term by the query parser (lib/events/query-language.ts), whose errors name the term.
  q: z.string().max(2000, "must be at most 2000 characters").optional(),
  from: apiTime.optional(),
  to: apiTime.optional(),
});

export const searchInput = eventFilterInput.extend({
  limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(1000, "must be at most 1000").default(50),
  cursor: z.string().max(512).optional(),
  order: z.enum(["asc", "desc"]).default("desc"),
  after_seq: z.coerce.number({ error: "must be a number" }).int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** The query string of GET /api/v1/orgs/{org}/events/live: the viewer's query, its window's start, and where it has seen up to (a seq, else a time). */
export const liveInput = z.object({
  q: eventFilterInput.shape.q,
  from: eventFilterInput.shape.from,
  after_seq: searchInput.shape.after_seq,
  since: apiTime.optional(),
});

/** EventSource's Last-Event-ID on a reconnect (the seq seen up to), ahead of the page's after_seq. */
export function liveAfterSeq(request: Request, afterSeq: number | undefined): number | null {
  const lastEventId = Number(request.headers.get("last-event-id"));
  if (request.headers.has("last-event-id") && Number.isSafeInteger(lastEventId) && lastEventId >= 0) return lastEventId;
  return afterSeq ?? null;
}

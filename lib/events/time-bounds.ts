/*
 * The one rule for every time a caller sends: `from` and `to`, the times of
 * `occurred:` terms (after adding a relative offset or a day's length), and the
 * position in a cursor. PostgreSQL's timestamptz reaches further, but a
 * JavaScript Date outside the years 1 to 9999 turns into text such as
 * "0000-…" or "+010000-…" that PostgreSQL refuses; checked here, such a time
 * is a 400 naming the input, never a database error.
 */

export const EARLIEST_TIME_MS = Date.parse("0001-01-01T00:00:00.000Z");
export const LATEST_TIME_MS = Date.parse("9999-12-31T23:59:59.999Z");
export const TIME_BOUNDS_TEXT = "between 0001-01-01 and 9999-12-31 (UTC)";

const DAY_MS = 86_400_000;
/** How far back a relative time (`occurred:>7d`) may reach: 100 years, so that now minus it stays within the bounds. */
export const MAX_RELATIVE_DAYS = 36_500;
export const MAX_RELATIVE_MS = MAX_RELATIVE_DAYS * DAY_MS;

/** Whether an instant lies within the times Orgtrail accepts. */
export function isWithinTimeBounds(at: Date | number): boolean {
  const ms = typeof at === "number" ? at : at.getTime();
  return Number.isFinite(ms) && ms >= EARLIEST_TIME_MS && ms <= LATEST_TIME_MS;
}

/** Whether a relative span (amount × unit) is one the query language accepts. */
export function isWithinRelativeBound(ms: number): boolean {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_RELATIVE_MS;
}

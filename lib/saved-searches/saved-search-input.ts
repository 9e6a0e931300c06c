import { z } from "zod";
import { MAX_QUERY_LENGTH } from "@/lib/events/query-language";
import { DEFAULT_RANGE, RANGE_IDS } from "@/lib/events/range-presets";
import { isWithinTimeBounds, TIME_BOUNDS_TEXT } from "@/lib/events/time-bounds";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";

/*
 * What a caller sends to save a search or change one. No server-only imports:
 * the viewer's dialog reads the limits from here. Whether the query parses is
 * checked by the service (a bad query is a 400 naming the term, as in search).
 */

export const MAX_NAME_LENGTH = 100;
export const MAX_COLUMNS = 50;
/** How many searches one person may keep in one organization. */
export const MAX_SAVED_SEARCHES_PER_USER = 100;

const name = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .refine(isStorableText, STORABLE_TEXT_MESSAGE)
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), "must not contain control characters");

const query = z
  .string({ error: "must be a string" })
  .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH.toLocaleString("en")} characters`)
  .refine(isStorableText, STORABLE_TEXT_MESSAGE)
  .transform((value) => value.trim());

const range = z.enum(RANGE_IDS, { error: `must be one of ${RANGE_IDS.join(", ")}` });

const instant = z
  .iso.datetime({ offset: true, error: "must be an RFC 3339 time like 2026-11-30T00:00:00Z" })
  .transform((value) => new Date(value))
  .refine((value) => isWithinTimeBounds(value), `must lie ${TIME_BOUNDS_TEXT}`);

// A column id of the viewer's table: time, actor, ip, meta:<metadata key>…
const column = z
  .string({ error: "must be a column id" })
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9_.:-]+$/, "must be a column id (letters, digits, _ . : -)");

const columns = z
  .array(column, { error: "must be a list of column ids, or null" })
  .min(1, "must name at least one column, or be null to keep each viewer's own layout")
  .max(MAX_COLUMNS, `must have at most ${MAX_COLUMNS} columns`)
  .refine((ids) => new Set(ids).size === ids.length, "must not name a column twice")
  .nullable();

type Window = { range?: string; from?: Date | null; to?: Date | null };

/** A custom range needs a from or a to (from before to); a preset takes neither. */
function checkWindow(input: Window, context: z.RefinementCtx): void {
  const { from, to } = input;
  if (input.range === undefined) {
    if (from !== undefined || to !== undefined) context.addIssue({ code: "custom", path: ["range"], message: 'is required with from and to: send range "custom"' });
    return;
  }
  if (input.range !== "custom") {
    for (const field of ["from", "to"] as const) {
      if (input[field]) context.addIssue({ code: "custom", path: [field], message: `only goes with range "custom" (${input.range} counts back from now)` });
    }
    return;
  }
  if (!from && !to) context.addIssue({ code: "custom", path: ["from"], message: 'a custom range needs from, to or both' });
  if (from && to && from.getTime() >= to.getTime()) context.addIssue({ code: "custom", path: ["to"], message: "must be later than from" });
}

export const createSavedSearchSchema = z
  .strictObject({
    name,
    query: query.default(""),
    range: range.default(DEFAULT_RANGE),
    from: instant.nullable().optional(),
    to: instant.nullable().optional(),
    columns: columns.optional(),
    shared: z.boolean({ error: "must be true or false" }).default(false),
  })
  .superRefine(checkWindow);

/** A change: any of name, query, range (with from/to), columns, shared. */
export const updateSavedSearchSchema = z
  .strictObject({
    name: name.optional(),
    query: query.optional(),
    range: range.optional(),
    from: instant.nullable().optional(),
    to: instant.nullable().optional(),
    columns: columns.optional(),
    shared: z.boolean({ error: "must be true or false" }).optional(),
  })
  .superRefine(checkWindow)
  .refine((input) => Object.values(input).some((value) => value !== undefined), "send at least one of name, query, range, columns, shared");

export type CreateSavedSearchInput = z.input<typeof createSavedSearchSchema>;
export type UpdateSavedSearchInput = z.input<typeof updateSavedSearchSchema>;

import { z } from "zod";
import { eventFilterInput } from "../search-input";

/** Rows newest first unless `asc` is asked for, as the search API lists them. */
const exportOrder = z.enum(["asc", "desc"], { error: 'must be "asc" or "desc"' }).default("desc");

/** The body of POST /api/v1/orgs/{org}/exports. */
export const createExportInput = z.strictObject({
  q: z.string().max(2000, "must be at most 2000 characters").optional(),
  from: eventFilterInput.shape.from,
  to: eventFilterInput.shape.to,
  format: z.enum(["csv", "ndjson"], { error: 'must be "csv" or "ndjson"' }).default("csv"),
  order: exportOrder,
});

/** The query string of a direct download (events/export.csv, .ndjson): the search filter and the order. */
export const exportDownloadInput = eventFilterInput.extend({ order: exportOrder });

export const downloadLinkInput = z.object({ expires: z.string().max(20).optional(), signature: z.string().max(100).optional() });

export const listExportsInput = z.object({ limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(100).default(20) });

import { z } from "zod";
import { parseQuery, QueryError } from "@/lib/events/query-language";
import { destinationInputSchema } from "./destinations/config";
import { STREAM_FORMATS } from "./formats/format-event";

/*
 * What a caller sends to create or change a log stream (API and settings form).
 * No server-only imports: the form validates with these too.
 */

const name = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

/**
 * A stream's filter: the viewer's query language, without `occurred:` (a stream
 * sends each event once, as it arrives; a time window would be read at a
 * different moment on every delivery).
 */
export const streamFilterSchema = z
  .string()
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .superRefine((value, context) => {
    try {
      const occurred = parseQuery(value).terms.find((term) => term.key === "occurred");
      if (occurred) {
        const term = value.slice(occurred.start, occurred.end);
        context.addIssue({ code: "custom", message: `${term}: a stream filter cannot use occurred: (every new event is sent once, when it arrives)` });
      }
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      for (const bad of [error, ...error.more]) context.addIssue({ code: "custom", message: `${bad.term}: ${bad.message}` });
    }
  });

export const createStreamSchema = z.strictObject({
  name,
  filter: streamFilterSchema.default(""),
  format: z.enum(STREAM_FORMATS, { error: `must be one of ${STREAM_FORMATS.join(", ")}` }).default("orgtrail"),
  destination: destinationInputSchema,
});

/**
 * A change: any of name, filter, format, and the destination's settings. A
 * destination given here replaces the old one whole, with its secrets (a
 * webhook keeps its signing secret: rotate it on its own).
 */
export const updateStreamSchema = z
  .strictObject({
    name: name.optional(),
    filter: streamFilterSchema.optional(),
    format: z.enum(STREAM_FORMATS, { error: `must be one of ${STREAM_FORMATS.join(", ")}` }).optional(),
    destination: destinationInputSchema.optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), "send at least one of name, filter, format, destination");

export const pauseStreamSchema = z.strictObject({ reason: z.string().trim().max(500, "must be at most 500 characters").optional() });

export const replayStreamSchema = z.strictObject({
  from: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time like 2026-11-30T00:00:00Z" }),
});

export type CreateStreamInput = z.input<typeof createStreamSchema>;
export type UpdateStreamInput = z.input<typeof updateStreamSchema>;

import { z } from "zod";
import { normalizeIp } from "@/lib/ip";

export const ACTION_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;
export const RESERVED_PREFIX = "orgtrail.";
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_BATCH = 1000;

// PostgreSQL text and jsonb cannot hold U+0000; lone surrogates are not valid UTF-8.
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters")
    .refine((s) => s.isWellFormed(), "must be well-formed Unicode");

// JSON.parse makes `__proto__` an own key, which zod's record skips: refused here, so that it is never silently lost.
const withoutProtoKey = z.unknown().superRefine((value, ctx) => {
  if (typeof value === "object" && value !== null && Object.hasOwn(value, "__proto__")) {
    ctx.addIssue({ code: "custom", path: ["__proto__"], message: "__proto__ is not allowed as a metadata key" });
  }
});

export const metadataSchema = withoutProtoKey.pipe(
  z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "metadata keys are 1 to 40 characters of A-Z, a-z, 0-9, _ and -"),
      z.union([text(500), z.number().finite(), z.boolean()], {
        error: "metadata values must be a string (at most 500 characters), a number or a boolean",
      }),
    )
    .refine((m) => Object.keys(m).length <= 50, "metadata may have at most 50 keys"),
);

export const entitySchema = z.strictObject({
  type: text(256).min(1, "is required"),
  id: text(256).min(1, "is required"),
  name: text(1000).optional(),
  metadata: metadataSchema.optional(),
});

function eventSchema(allowReserved: boolean) {
  return z.strictObject({
    action: z
      .string({ error: "is required" })
      .max(256, "must be at most 256 characters")
      .regex(ACTION_PATTERN, "must be lowercase dot-separated words, like document.shared")
      .refine((a) => allowReserved || !a.startsWith(RESERVED_PREFIX), `the ${RESERVED_PREFIX} prefix is reserved for Orgtrail's own events`),
    occurred_at: z.iso
      .datetime({ offset: true, error: "must be an RFC 3339 time, like 2026-11-20T10:15:00Z" })
      .refine((t) => Date.parse(t) <= Date.now() + MAX_FUTURE_MS, "must not be more than 5 minutes in the future")
      .refine((t) => Date.parse(t) >= Date.parse("1970-01-01T00:00:00Z"), "must not be before 1970"),
    version: z.number().int("must be an integer").min(1).max(1_000_000).optional(),
    actor: entitySchema,
    targets: z.array(entitySchema).max(50, "at most 50 targets").default([]),
    context: z
      .strictObject({
        location: z
          .string()
          .refine((ip) => normalizeIp(ip) !== null, "must be an IPv4 or IPv6 address")
          .optional(),
        user_agent: text(2000).optional(),
      })
      .optional(),
    metadata: metadataSchema.optional(),
  });
}

export const eventInputSchema = eventSchema(false);
export const internalEventInputSchema = eventSchema(true);
export type EventInput = z.infer<typeof eventInputSchema>;

export const ingestBodySchema = z
  .strictObject({
    organization_id: z.string().min(1).max(256).optional(),
    event: z.unknown().optional(),
    events: z.array(z.unknown()).min(1, "must hold 1 to 1000 events").max(MAX_BATCH, "must hold 1 to 1000 events").optional(),
  })
  .refine((b) => (b.event === undefined) !== (b.events === undefined), {
    message: "send exactly one of `event` or `events`",
  });

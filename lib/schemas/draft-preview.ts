import "server-only";
import type { ValidateFunction } from "ajv";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { AppError } from "@/lib/errors";
import { RateLimiter } from "@/lib/rate-limit";
import type { Principal } from "@/lib/auth/principal";
import { recentEventShapesForSchemaPreview, PREVIEW_LIMIT } from "@/lib/events/store/schema-preview-shapes";
import type { Shape } from "@/lib/events/shape";
import type { SchemaDefinition } from "./definition";
import { newSchemaCompiler } from "@/lib/events/schema-check/linear-regexp";
import { failingField, structuralSchema } from "./structural-draft";

/**
 * The console's "check before saving": how many of an action's latest events
 * (across organizations) a draft version would refuse. Nothing is saved.
 *
 * Vendor staff may not read customers' events (DESIGN: only through a support
 * grant recorded in that customer's log), and this check reads them, so what it
 * can tell is kept to what a schema author needs and no more:
 *
 * - Counts only: events checked, events that would fail, and per field and rule
 *   (`metadata.reason`, `required`: 12) how many would fail. Fields are named
 *   from the draft, never from the data; no value, event id, organization or
 *   time is returned. A per-event answer let 30 drafts with `pattern` read back
 *   every email in 25 events.
 * - Shape only. Counts alone are still an oracle: a draft with
 *   `pattern: "^a"` asks how many emails start with "a", and one bit per
 *   request spells any value out over enough requests (a binary search), and
 *   neither a rate limit nor rounding changes that, only its speed. So rules
 *   that test a value (pattern, format, enum, const, lengths, ranges;
 *   structural-draft.ts) are not run here: the events are read as their shape
 *   (keys, kinds of values, target types: lib/events/store/schema-preview-shapes.ts), the draft is
 *   checked without those rules, and the answer lists them as not checked. They
 *   still apply to every event sent once the version is saved. What is left to
 *   learn is which keys the vendor's own backend sends, and of what kind.
 * - At least MIN_EVENTS_FOR_COUNTS events, else no counts: with one or two
 *   events, a count is those events.
 * - At most PREVIEWS_PER_MINUTE checks a minute per caller (429 beyond), which
 *   bounds whatever a shape count still tells.
 */
export const MIN_EVENTS_FOR_COUNTS = 5;
export const PREVIEWS_PER_MINUTE = 10;

export type DraftFieldFailures = { field: string; rule: string; events: number };
export type DraftPreview = {
  checked: number;
  /** Events that would fail; null when fewer than minEvents were checked. */
  failed: number | null;
  minEvents: number;
  /** Per field and rule, how many events would fail it; most first. */
  fields: DraftFieldFailures[];
  /** `field (keyword)` of each rule that tests values, which this check does not run. */
  unchecked: string[];
};

// On globalThis: the console's server actions are bundled apart from the routes, each with its own copy of this module.
const globalForLimiter = globalThis as unknown as { orgtrailDraftPreviewLimiter?: RateLimiter };
const limiter = (globalForLimiter.orgtrailDraftPreviewLimiter ??= new RateLimiter(PREVIEWS_PER_MINUTE / 60, PREVIEWS_PER_MINUTE));

function enforcePreviewRate(principal: Principal): void {
  const taken = limiter.take(principal.kind === "user" ? `user:${principal.userId}` : `api_key:${principal.keyId}`);
  if (!taken.ok) {
    throw new AppError("rate_limited", `At most ${PREVIEWS_PER_MINUTE} draft checks a minute; retry in ${taken.retryAfterSeconds} s`, undefined, taken.retryAfterSeconds);
  }
}

type StructuralDraft = { targetTypes: string[]; parts: { field: string; validate: ValidateFunction; of: (event: EventShape) => Shape[] }[]; unchecked: string[] };
type EventShape = Awaited<ReturnType<typeof recentEventShapesForSchemaPreview>>[number];

function structuralDraft(definition: SchemaDefinition): StructuralDraft {
  const ajv = newSchemaCompiler();
  const leftOut = new Set<string>();
  const parts: StructuralDraft["parts"] = [];
  const add = (schema: Record<string, unknown> | null, field: string, of: (event: EventShape) => Shape[]) => {
    if (schema) parts.push({ field, validate: ajv.compile(structuralSchema(schema, field, leftOut) as Record<string, unknown>), of });
  };
  add(definition.metadataSchema, "metadata", (event) => [event.metadata]);
  add(definition.actorSchema, "actor.metadata", (event) => [event.actor.metadata ?? {}]);
  add(definition.targetSchema, "targets[].metadata", (event) => event.targets.map((t) => t.metadata ?? {}));
  return { targetTypes: definition.targetTypes, parts, unchecked: [...leftOut] };
}

export async function previewDraft(principal: Principal, action: string, definition: SchemaDefinition, limit = PREVIEW_LIMIT): Promise<DraftPreview> {
  requireVendorPermission(principal, "schemas.manage");
  enforcePreviewRate(principal);
  const draft = structuralDraft(definition);
  const events = await recentEventShapesForSchemaPreview(principal, action, limit);
  const base = { checked: events.length, minEvents: MIN_EVENTS_FOR_COUNTS, unchecked: draft.unchecked };
  if (events.length < MIN_EVENTS_FOR_COUNTS) return { ...base, failed: null, fields: [] };

  const byField = new Map<string, DraftFieldFailures>();
  let failed = 0;
  for (const event of events) {
    const failures = new Map<string, { field: string; rule: string }>();
    const fail = (failure: { field: string; rule: string }) => failures.set(`${failure.field}\u0000${failure.rule}`, failure);
    if (draft.targetTypes.length > 0 && event.targets.some((t) => !draft.targetTypes.includes(t.type))) fail({ field: "targets[].type", rule: "target_types" });
    for (const part of draft.parts) {
      for (const value of part.of(event)) if (!part.validate(value)) for (const error of part.validate.errors ?? []) fail(failingField(part.field, error));
    }
    if (failures.size > 0) failed++;
    for (const [key, failure] of failures) {
      const entry = byField.get(key) ?? { ...failure, events: 0 };
      entry.events++;
      byField.set(key, entry);
    }
  }
  const fields = [...byField.values()].sort((a, b) => b.events - a.events || a.field.localeCompare(b.field) || a.rule.localeCompare(b.rule));
  return { ...base, failed, fields };
}

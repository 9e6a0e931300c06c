import "server-only";
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { v7 as uuidv7 } from "uuid";
import type { ZodType } from "zod";
import { can } from "@/lib/access/permissions";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { AppError, badRequest, forbidden, formatPath, type ErrorIssue, zodIssues } from "@/lib/errors";
import type { Principal } from "@/lib/auth/principal";
import { checkAgainstSchema } from "@/lib/events/schema-check/registry";
import { eventInputSchema, ingestBodySchema, type EventInput } from "./event-input";
import { appendEvents } from "./group-commit";
import { normalizeIp } from "@/lib/ip";
import type { AppendedEvent, PreparedEvent } from "./types";

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Validates events (shape, limits, then their action's schema) and normalizes
 * them. All issues of all events are reported together; none is written if any fails.
 */
export async function prepareEvents(inputs: unknown[], pathOf: (i: number) => PropertyKey[], schema: ZodType<EventInput> = eventInputSchema): Promise<PreparedEvent[]> {
  const issues: ErrorIssue[] = [];
  const schemaIssues: ErrorIssue[] = [];
  const prepared: PreparedEvent[] = [];
  for (const [i, input] of inputs.entries()) {
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      issues.push(...zodIssues(parsed.error, pathOf(i)));
      continue;
    }
    const event = parsed.data;
    const checked = await checkAgainstSchema(event, formatPath(pathOf(i)));
    schemaIssues.push(...checked.issues);
    prepared.push({
      id: uuidv7(),
      action: event.action,
      version: checked.version,
      occurredAt: new Date(event.occurred_at),
      actor: event.actor,
      targets: event.targets,
      ip: event.context?.location ? normalizeIp(event.context.location) : null,
      userAgent: event.context?.user_agent ?? null,
      metadata: event.metadata ?? {},
    });
  }
  const all = [...issues, ...schemaIssues];
  if (all.length > 0) {
    const code = issues.length > 0 ? "validation_failed" : "schema_mismatch";
    throw new AppError(code, `${all.length} problem${all.length === 1 ? "" : "s"} with the submitted events`, all.slice(0, 100));
  }
  return prepared;
}

export type IngestResult = { status: 201; body: { data: AppendedEvent[] } | unknown };

/** POST /api/v1/events: one event or a batch, all or nothing, idempotent with a key. */
export async function ingest(principal: Principal, body: unknown, idempotencyKey: string | null): Promise<IngestResult> {
  if (principal.kind !== "api_key") throw forbidden("Events are sent with an API key that has the events:write scope");
  const parsed = ingestBodySchema.safeParse(body);
  if (!parsed.success) throw new AppError("validation_failed", "The request body is not a valid ingest request", zodIssues(parsed.error, []));
  const orgRef = parsed.data.organization_id ?? principal.organizationId;
  if (!orgRef) throw new AppError("validation_failed", "organization_id is required with a vendor-wide key", [{ path: "organization_id", message: "is required with a vendor-wide key" }]);
  const scope: Scope = await resolveOrgScope(principal, orgRef);
  if (!can(scope, "events.write")) throw forbidden("This API key lacks the events:write scope");
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) throw badRequest("Idempotency-Key must be 1 to 255 printable ASCII characters");

  const inputs = parsed.data.events ?? [parsed.data.event];
  const prepared = await prepareEvents(inputs, (i) => (parsed.data.events ? ["events", i] : ["event"]));
  const idempotency = idempotencyKey
    ? {
        key: idempotencyKey,
        requestHash: createHash("sha256").update(canonicalize({ key: principal.keyId, body }) ?? "").digest("hex"),
      }
    : undefined;
  for (const event of prepared) event.idempotencyKey = idempotencyKey;
  const outcome = await appendEvents(scope.organization.id, prepared, idempotency);
  if (outcome.kind === "conflict") throw new AppError("idempotency_conflict", "This Idempotency-Key was already used with a different request body");
  if (outcome.kind === "replayed") return { status: 201, body: outcome.response };
  return { status: 201, body: { data: outcome.events } };
}

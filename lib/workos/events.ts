import "server-only";
import { z } from "zod";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import { AppError, zodIssues } from "@/lib/errors";
import { ingest } from "@/lib/events/ingest";

/*
 * POST /audit_logs/events: WorkOS's body is Orgtrail's ingest body for one
 * event, so it goes through the same ingest (validation, schema, idempotency,
 * the chain). WorkOS asks for two things Orgtrail leaves optional, and they are
 * asked for here too: a list of targets and the context's location.
 */
const workosEventBody = z.looseObject({
  organization_id: z.string({ error: "is required" }),
  event: z.looseObject(
    {
      targets: z.array(z.unknown(), { error: "is required (a list, which may be empty)" }),
      context: z.looseObject({ location: z.string({ error: "is required" }) }, { error: "is required" }),
    },
    { error: "is required" },
  ),
});

export async function createWorkosEvent(key: ApiKeyPrincipal, body: unknown, idempotencyKey: string | null): Promise<{ success: true }> {
  const required = workosEventBody.safeParse(body);
  if (!required.success) throw new AppError("validation_failed", "The audit log event is not valid", zodIssues(required.error));
  await ingest(key, body, idempotencyKey);
  return { success: true };
}

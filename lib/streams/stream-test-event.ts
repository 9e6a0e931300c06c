import "server-only";
import { v7 as uuidv7 } from "uuid";
import { requirePermission } from "@/lib/access/require-permission";
import type { Scope } from "@/lib/access/scope";
import { actorOf } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import type { AuditEvent } from "@/lib/events/types";
import { RateLimiter } from "@/lib/rate-limit";
import { sendToDestination } from "./delivery";
import { recordDelivery } from "./delivery-state";
import { planDeliveryRequests } from "./destinations/plan-requests";
import { formatEvent } from "./formats/format-event";
import { activeSigningSecrets } from "./signing-secrets";
import { findStreamRow, openDestination } from "./stream-store";
import type { DeliveryJson } from "./stream-view";

// A test is a real request to the destination: a few a minute per stream is plenty, and no stream becomes a request cannon.
const testSends = new RateLimiter(10 / 60, 5);

/**
 * Sends one made-up event (`orgtrail.log_stream.test`, seq 0, so a receiver
 * can tell it from real ones) to the stream's destination, signed and shaped
 * as real deliveries are, whether the stream is paused or not. The attempt
 * goes into the delivery log; the cursor does not move.
 */
export async function sendTestEvent(scope: Scope, context: RequestContext, streamId: string): Promise<DeliveryJson> {
  requirePermission(scope, "streams.manage");
  const row = await findStreamRow(scope.organization.id, streamId);
  testSends.enforce(row.id);
  const now = new Date().toISOString();
  const event: AuditEvent = {
    id: uuidv7(),
    organization_id: row.organization_id,
    seq: 0,
    action: "orgtrail.log_stream.test",
    version: 1,
    occurred_at: now,
    received_at: now,
    actor: actorOf(scope),
    targets: [{ type: "log_stream", id: row.id, name: row.name }],
    context: { ...(context.ip ? { location: context.ip } : {}), ...(context.userAgent ? { user_agent: context.userAgent.slice(0, 500) } : {}) },
    metadata: { test: true },
    hash: "",
  };
  const destination = activeSigningSecrets(openDestination(row), row.secret_rotated_at);
  // The event's own id names the batch, so each test gets a webhook-id of its own and no receiver dedupes the next one away.
  const [planned] = planDeliveryRequests({ streamId: `test_${event.id}`, format: row.format, events: [formatEvent(event, row.format)] }, destination);
  const result = await sendToDestination(planned!.request);
  return recordDelivery(row, "test", result, { firstSeq: null, lastSeq: null, eventCount: 1 });
}

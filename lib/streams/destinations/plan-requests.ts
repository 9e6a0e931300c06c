import "server-only";
import { isDestinationOf, type Destination } from "./config";
import { buildDatadogRequest, splitDatadogBatch } from "./datadog";
import { seqRange, type DeliveryBatch, type OutboundRequest, type PlannedRequest } from "./outbound-request";
import { buildSplunkHecRequest } from "./splunk-hec";
import { buildWebhookRequest } from "./webhook";

/** The requests that deliver a batch to a destination, in seq order: one, or several when Datadog's limits split it. */
export function planDeliveryRequests(batch: DeliveryBatch, destination: Destination, options: { now?: Date } = {}): PlannedRequest[] {
  if (isDestinationOf(destination, "webhook")) return [planned(batch, buildWebhookRequest(batch, destination, options))];
  if (isDestinationOf(destination, "splunk_hec")) return [planned(batch, buildSplunkHecRequest(batch, destination))];
  if (isDestinationOf(destination, "datadog")) return splitDatadogBatch(batch, destination).map((chunk) => planned(chunk, buildDatadogRequest(chunk, destination)));
  throw new Error(`unknown destination type ${(destination as Destination).config.type}`);
}

function planned(batch: DeliveryBatch, request: OutboundRequest): PlannedRequest {
  return { request, ...seqRange(batch), eventCount: batch.events.length };
}

import "server-only";
import { webhookSignatureHeaders } from "../standard-webhooks";
import type { WebhookDestination } from "./config";
import { seqRange, type DeliveryBatch, type OutboundRequest } from "./outbound-request";

/**
 * The webhook-id of a batch: the same for every retry of the same events, so a
 * receiver can dedupe on it (`msg_<stream id>_<first seq>_<last seq>`, with
 * `r<n>_` before the range after the n-th replay).
 */
export function webhookMessageId(batch: DeliveryBatch): string {
  const { firstSeq, lastSeq } = seqRange(batch);
  const replay = batch.replay ? `r${batch.replay}_` : "";
  return `msg_${batch.streamId.replace(/-/g, "")}_${replay}${firstSeq}_${lastSeq}`;
}

/** A signed POST of the batch as a JSON array or NDJSON (one event a line), with the custom headers. */
export function buildWebhookRequest(batch: DeliveryBatch, destination: WebhookDestination, options: { now?: Date } = {}): OutboundRequest {
  const { config, secrets } = destination;
  const payloads = batch.events.map((event) => JSON.stringify(event.payload));
  const ndjson = config.body_format === "ndjson";
  const body = Buffer.from(ndjson ? `${payloads.join("\n")}\n` : `[${payloads.join(",")}]`, "utf8");
  const custom = Object.fromEntries(Object.entries(secrets.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    url: config.url,
    headers: {
      ...custom,
      "content-type": ndjson ? "application/x-ndjson" : "application/json",
      ...webhookSignatureHeaders({ id: webhookMessageId(batch), timestamp: options.now ?? new Date(), body, secrets: secrets.signing_secrets }),
    },
    body,
  };
}

import "server-only";
import { gzipSync } from "node:zlib";
import type { DatadogConfig, DatadogDestination } from "./config";
import { seqRange, type DeliveryBatch, type OutboundRequest } from "./outbound-request";

/** Datadog's logs intake takes at most 1,000 entries and 5 MB (uncompressed) a request. */
export const DATADOG_LIMITS = { maxEntries: 1000, maxBytes: 5_000_000 } as const;
export type DatadogLimits = { maxEntries: number; maxBytes: number };

export type DatadogEntry = { ddsource: string; service: string; ddtags?: string; hostname?: string; message: string };

export function datadogIntakeUrl(config: DatadogConfig): string {
  return config.intake_url ?? `https://http-intake.logs.${config.site}/api/v2/logs`;
}

/** One log entry; `message` is the event as JSON, which Datadog parses into attributes. */
export function datadogEntry(payload: object, config: DatadogConfig): DatadogEntry {
  return {
    ddsource: config.ddsource,
    service: config.service,
    ...(config.tags.length > 0 ? { ddtags: config.tags.join(",") } : {}),
    ...(config.hostname ? { hostname: config.hostname } : {}),
    message: JSON.stringify(payload),
  };
}

/**
 * Splits a batch, in order, into batches Datadog accepts in one request each:
 * at most `maxEntries` entries and `maxBytes` of JSON array. An entry larger
 * than `maxBytes` on its own still gets a batch (Datadog will refuse it).
 */
export function splitDatadogBatch(batch: DeliveryBatch, destination: DatadogDestination, limits: DatadogLimits = DATADOG_LIMITS): DeliveryBatch[] {
  const chunks: DeliveryBatch[] = [];
  let start = 0;
  let bytes = 2;
  batch.events.forEach((event, index) => {
    const size = Buffer.byteLength(JSON.stringify(datadogEntry(event.payload, destination.config))) + (index > start ? 1 : 0);
    if (index > start && (index - start >= limits.maxEntries || bytes + size > limits.maxBytes)) {
      chunks.push({ ...batch, events: batch.events.slice(start, index) });
      start = index;
      bytes = 2 + size - 1;
    } else bytes += size;
  });
  if (batch.events.length > start) chunks.push({ ...batch, events: batch.events.slice(start) });
  return chunks;
}

/** One gzip-compressed POST of the batch's entries; the batch must fit the limits (see splitDatadogBatch). */
export function buildDatadogRequest(batch: DeliveryBatch, destination: DatadogDestination, limits: DatadogLimits = DATADOG_LIMITS): OutboundRequest {
  seqRange(batch);
  if (batch.events.length > limits.maxEntries) throw new Error(`a Datadog request takes at most ${limits.maxEntries} entries, got ${batch.events.length}: split the batch first`);
  const json = Buffer.from(JSON.stringify(batch.events.map((event) => datadogEntry(event.payload, destination.config))), "utf8");
  if (json.length > limits.maxBytes && batch.events.length > 1) throw new Error(`a Datadog request takes at most ${limits.maxBytes} bytes, got ${json.length}: split the batch first`);
  return {
    url: datadogIntakeUrl(destination.config),
    headers: { "dd-api-key": destination.secrets.api_key, "content-type": "application/json", "content-encoding": "gzip" },
    body: gzipSync(json),
  };
}

import "server-only";
import type { StreamFormat } from "../formats/format-event";
import type { SplunkHecConfig, SplunkHecDestination } from "./config";
import { seqRange, type DeliveryBatch, type OutboundRequest } from "./outbound-request";

const EVENT_PATH = "/services/collector/event";

export type SplunkHecEnvelope = { time: number; host: string; source: string; sourcetype: string; index?: string; event: object };

/** The HEC event endpoint of a configured URL: a base (https://splunk:8088) or the endpoint itself. */
export function splunkHecEndpoint(url: string): string {
  const endpoint = new URL(url);
  const path = endpoint.pathname.replace(/\/+$/, "");
  if (path.endsWith(EVENT_PATH)) endpoint.pathname = path;
  else if (path.endsWith("/services/collector")) endpoint.pathname = `${path}/event`;
  else endpoint.pathname = path + EVENT_PATH;
  return endpoint.toString();
}

export function defaultSourcetype(format: StreamFormat): string {
  return format === "ocsf" ? "orgtrail:ocsf" : "orgtrail:audit";
}

/** `time` is epoch seconds with the milliseconds as decimals, as HEC wants it. */
export function splunkHecEnvelope(time: number, payload: object, config: SplunkHecConfig, format: StreamFormat): SplunkHecEnvelope {
  return {
    time: time / 1000,
    host: config.host,
    source: config.source,
    sourcetype: config.sourcetype ?? defaultSourcetype(format),
    ...(config.index ? { index: config.index } : {}),
    event: payload,
  };
}

/** One POST of the batch's envelopes, concatenated (one a line), authorized with the HEC token. */
export function buildSplunkHecRequest(batch: DeliveryBatch, destination: SplunkHecDestination): OutboundRequest {
  seqRange(batch);
  const { config, secrets } = destination;
  const envelopes = batch.events.map((event) => JSON.stringify(splunkHecEnvelope(event.time, event.payload, config, batch.format)));
  return {
    url: splunkHecEndpoint(config.url),
    headers: { authorization: `Splunk ${secrets.token}`, "content-type": "application/json" },
    body: Buffer.from(envelopes.join("\n"), "utf8"),
  };
}

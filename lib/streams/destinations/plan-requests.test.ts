import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendRequest } from "../http-send";
import { generateWebhookSecret } from "../standard-webhooks";
import { sampleBatch } from "../testing/sample-events";
import { startDatadogReceiver, startSplunkHecReceiver, startWebhookReceiver, type Receiver } from "../testing/receivers";
import type { Destination } from "./config";
import { planDeliveryRequests } from "./plan-requests";

const secret = generateWebhookSecret();
const receivers: Record<string, Receiver> = {};
const send = { allowPrivate: true, connectTimeoutMs: 2000, responseTimeoutMs: 5000 };

beforeAll(async () => {
  receivers.webhook = await startWebhookReceiver({ secret });
  receivers.splunk_hec = await startSplunkHecReceiver({ token: "hec-token" });
  receivers.datadog = await startDatadogReceiver({ apiKey: "dd-key" });
});
afterAll(async () => {
  for (const receiver of Object.values(receivers)) await receiver.close();
});

function destinations(): Destination[] {
  return [
    { config: { type: "webhook", url: receivers.webhook!.url, body_format: "ndjson", header_names: [] }, secrets: { signing_secrets: [secret], headers: {} } },
    { config: { type: "splunk_hec", url: receivers.splunk_hec!.url, source: "orgtrail", host: "orgtrail" }, secrets: { token: "hec-token" } },
    { config: { type: "datadog", site: "datadoghq.com", intake_url: receivers.datadog!.url, service: "orgtrail", ddsource: "orgtrail", tags: [] }, secrets: { api_key: "dd-key" } },
  ];
}

describe("planDeliveryRequests", () => {
  it("delivers a batch to every destination type, each event once and in seq order, with the seq range of each request", async () => {
    for (const format of ["orgtrail", "ocsf"] as const) {
      const batch = sampleBatch(format === "orgtrail" ? 1 : 1201, 1200, format);
      for (const destination of destinations()) {
        const receiver = receivers[destination.config.type]!;
        const before = receiver.received.length;
        const planned = planDeliveryRequests(batch, destination);
        expect(planned.map(({ firstSeq, lastSeq, eventCount }) => [firstSeq, lastSeq, eventCount]), destination.config.type).toEqual(
          destination.config.type === "datadog" ? [[batch.events[0]!.seq, batch.events[999]!.seq, 1000], [batch.events[1000]!.seq, batch.events[1199]!.seq, 200]] : [[batch.events[0]!.seq, batch.events[1199]!.seq, 1200]],
        );
        for (const { request } of planned) expect(await sendRequest(request, send)).toMatchObject({ outcome: "delivered" });
        expect(receiver.received.slice(before)).toEqual(batch.events.map(({ id, seq }) => ({ id, seq })));
      }
    }
    for (const receiver of Object.values(receivers)) expect(receiver.summary()).toMatchObject({ events: 2400, unique: 2400, duplicates: 0, inOrder: true });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendRequest } from "../http-send";
import { sampleBatch } from "../testing/sample-events";
import { splitConcatenatedJson, startSplunkHecReceiver, type Receiver } from "../testing/receivers";
import type { SplunkHecDestination } from "./config";
import { buildSplunkHecRequest, splunkHecEndpoint } from "./splunk-hec";

const TOKEN = "1b0e0f4c-9a5d-4b8e-8f2a-2c9e6d1f0a11";
let receiver: Receiver;
const send = { allowPrivate: true, connectTimeoutMs: 2000, responseTimeoutMs: 2000 };

beforeAll(async () => {
  receiver = await startSplunkHecReceiver({ token: TOKEN });
});
afterAll(() => receiver.close());

function destination(overrides: Partial<SplunkHecDestination["config"]> = {}, token = TOKEN): SplunkHecDestination {
  return { config: { type: "splunk_hec", url: receiver.url, source: "orgtrail", host: "orgtrail", ...overrides }, secrets: { token } };
}

describe("Splunk HEC requests", () => {
  it("post concatenated envelopes to /services/collector/event with the token, which HEC accepts", async () => {
    const batch = sampleBatch(1, 3);
    const request = buildSplunkHecRequest(batch, destination({ index: "audit" }));
    expect(request.url).toBe(`${receiver.url}/services/collector/event`);
    expect(request.headers).toEqual({ authorization: `Splunk ${TOKEN}`, "content-type": "application/json" });
    const envelopes = splitConcatenatedJson(request.body.toString());
    expect(envelopes[0]).toEqual({ time: 1795169700.123, host: "orgtrail", source: "orgtrail", sourcetype: "orgtrail:audit", index: "audit", event: batch.events[0]!.payload });
    expect(request.body.toString()).toMatch(/^\{"time":1795169700\.123,"host"/);
    expect(await sendRequest(request, send)).toMatchObject({ outcome: "delivered", status: 200, responseSnippet: '{"text":"Success","code":0}' });
    expect(receiver.received.map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it("carry OCSF events with their own sourcetype, or the configured one", async () => {
    const batch = sampleBatch(4, 2, "ocsf");
    const request = buildSplunkHecRequest(batch, destination());
    const envelopes = splitConcatenatedJson(request.body.toString()) as { sourcetype: string; index?: string }[];
    expect(envelopes.map((envelope) => envelope.sourcetype)).toEqual(["orgtrail:ocsf", "orgtrail:ocsf"]);
    expect(envelopes[0]).not.toHaveProperty("index");
    expect(splitConcatenatedJson(buildSplunkHecRequest(batch, destination({ sourcetype: "ocsf:api" })).body.toString())[0]).toMatchObject({ sourcetype: "ocsf:api" });
    expect(await sendRequest(request, send)).toMatchObject({ outcome: "delivered" });
    expect(receiver.received.slice(-2)).toEqual(batch.events.map(({ id, seq }) => ({ id, seq })));
  });

  it("are refused with a wrong token, permanently", async () => {
    expect(await sendRequest(buildSplunkHecRequest(sampleBatch(6, 1), destination({}, "wrong")), send)).toMatchObject({ outcome: "permanent", status: 403, responseSnippet: '{"text":"Invalid token","code":4}' });
  });

  it("find the event endpoint from a base URL or the endpoint itself", () => {
    expect(splunkHecEndpoint("https://splunk.example.com:8088")).toBe("https://splunk.example.com:8088/services/collector/event");
    expect(splunkHecEndpoint("https://splunk.example.com:8088/")).toBe("https://splunk.example.com:8088/services/collector/event");
    expect(splunkHecEndpoint("https://proxy.example.com/splunk/")).toBe("https://proxy.example.com/splunk/services/collector/event");
    expect(splunkHecEndpoint("https://http-inputs-acme.splunkcloud.com/services/collector")).toBe("https://http-inputs-acme.splunkcloud.com/services/collector/event");
    expect(splunkHecEndpoint("https://http-inputs-acme.splunkcloud.com/services/collector/event?channel=abc")).toBe("https://http-inputs-acme.splunkcloud.com/services/collector/event?channel=abc");
  });
});

import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendRequest } from "../http-send";
import { sampleBatch } from "../testing/sample-events";
import { startDatadogReceiver, type Receiver } from "../testing/receivers";
import type { DatadogDestination } from "./config";
import { buildDatadogRequest, datadogIntakeUrl, splitDatadogBatch, DATADOG_LIMITS } from "./datadog";

const API_KEY = "0123456789abcdef0123456789abcdef";
let receiver: Receiver;
const send = { allowPrivate: true, connectTimeoutMs: 2000, responseTimeoutMs: 5000 };

beforeAll(async () => {
  receiver = await startDatadogReceiver({ apiKey: API_KEY });
});
afterAll(() => receiver.close());

function destination(overrides: Partial<DatadogDestination["config"]> = {}, apiKey = API_KEY): DatadogDestination {
  return { config: { type: "datadog", site: "datadoghq.com", intake_url: receiver.url, service: "orgtrail", ddsource: "orgtrail", tags: [], ...overrides }, secrets: { api_key: apiKey } };
}

describe("Datadog requests", () => {
  it("post a gzip-compressed JSON array of entries with the API key, which the intake accepts (202)", async () => {
    const batch = sampleBatch(1, 3);
    const request = buildDatadogRequest(batch, destination({ tags: ["env:prod", "team:sec"], hostname: "orgtrail-eu" }));
    expect(request.url).toBe(receiver.url);
    expect(request.headers).toEqual({ "dd-api-key": API_KEY, "content-type": "application/json", "content-encoding": "gzip" });
    const entries = JSON.parse(gunzipSync(request.body).toString());
    expect(entries[0]).toEqual({ ddsource: "orgtrail", service: "orgtrail", ddtags: "env:prod,team:sec", hostname: "orgtrail-eu", message: JSON.stringify(batch.events[0]!.payload) });
    expect(await sendRequest(request, send)).toMatchObject({ outcome: "delivered", status: 202 });
    expect(receiver.received.map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it("carry OCSF events, without ddtags or hostname when none are set", async () => {
    const batch = sampleBatch(4, 2, "ocsf");
    const request = buildDatadogRequest(batch, destination());
    expect(Object.keys(JSON.parse(gunzipSync(request.body).toString())[0])).toEqual(["ddsource", "service", "message"]);
    expect(await sendRequest(request, send)).toMatchObject({ outcome: "delivered" });
    expect(receiver.received.slice(-2)).toEqual(batch.events.map(({ id, seq }) => ({ id, seq })));
  });

  it("are refused with a wrong API key, permanently", async () => {
    expect(await sendRequest(buildDatadogRequest(sampleBatch(6, 1), destination({}, "wrong")), send)).toMatchObject({ outcome: "permanent", status: 403 });
  });

  it("go to the site's intake unless another intake is set", () => {
    const { intake_url: _unused, ...config } = destination().config;
    void _unused;
    expect(datadogIntakeUrl(config)).toBe("https://http-intake.logs.datadoghq.com/api/v2/logs");
    expect(datadogIntakeUrl({ ...config, site: "datadoghq.eu" })).toBe("https://http-intake.logs.datadoghq.eu/api/v2/logs");
    expect(datadogIntakeUrl({ ...config, site: "us5.datadoghq.com" })).toBe("https://http-intake.logs.us5.datadoghq.com/api/v2/logs");
  });
});

describe("splitDatadogBatch", () => {
  it("splits by entry count, in order, each chunk accepted by the intake", async () => {
    const batch = sampleBatch(100, 2500);
    const chunks = splitDatadogBatch(batch, destination());
    expect(chunks.map((chunk) => chunk.events.length)).toEqual([1000, 1000, 500]);
    expect(chunks.flatMap((chunk) => chunk.events.map((event) => event.seq))).toEqual(batch.events.map((event) => event.seq));
    expect(chunks[1]).toMatchObject({ streamId: batch.streamId, format: batch.format });
    expect(() => buildDatadogRequest(batch, destination())).toThrow(/at most 1000 entries/);
    const before = receiver.received.length;
    for (const chunk of chunks) expect(await sendRequest(buildDatadogRequest(chunk, destination()), send)).toMatchObject({ outcome: "delivered" });
    expect(receiver.received.slice(before).map((event) => event.seq)).toEqual(batch.events.map((event) => event.seq));
  });

  it("splits by uncompressed size, every chunk's JSON within the limit, and the intake refuses what is not split", async () => {
    const batch = sampleBatch(5000, 40, "orgtrail", 200_000);
    const chunks = splitDatadogBatch(batch, destination());
    expect(chunks.length).toBeGreaterThan(1);
    chunks.forEach((chunk, index) => {
      const json = gunzipSync(buildDatadogRequest(chunk, destination()).body);
      expect(json.length).toBeLessThanOrEqual(DATADOG_LIMITS.maxBytes);
      // Full: one more ~200 KB entry would not have fitted.
      if (index < chunks.length - 1) expect(json.length).toBeGreaterThan(DATADOG_LIMITS.maxBytes - 250_000);
    });
    expect(chunks.flatMap((chunk) => chunk.events.map((event) => event.seq))).toEqual(batch.events.map((event) => event.seq));
    expect(() => buildDatadogRequest(batch, destination())).toThrow(/at most 5000000 bytes/);
    const unsplit = buildDatadogRequest(batch, destination(), { maxEntries: 1000, maxBytes: Infinity });
    expect(await sendRequest(unsplit, send)).toMatchObject({ outcome: "permanent", status: 413 });
  });

  it("fits exactly: a chunk is as large as the limit allows, and a single oversized entry gets its own chunk", () => {
    const batch = sampleBatch(1, 10);
    const entryBytes = gunzipSync(buildDatadogRequest(sampleBatch(1, 1), destination()).body).length - 2;
    const limits = { maxEntries: 1000, maxBytes: 2 + entryBytes * 3 + 2 };
    expect(splitDatadogBatch(batch, destination(), limits).map((chunk) => chunk.events.length)).toEqual([3, 3, 3, 1]);
    expect(splitDatadogBatch(batch, destination(), { maxEntries: 1000, maxBytes: 10 }).map((chunk) => chunk.events.length)).toEqual(Array(10).fill(1));
    expect(splitDatadogBatch({ ...batch, events: [] }, destination())).toEqual([]);
  });
});

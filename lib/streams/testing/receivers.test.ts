import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { sendRequest } from "../http-send";
import { splitConcatenatedJson, startDatadogReceiver, startSplunkHecReceiver, startWebhookReceiver } from "./receivers";

const send = { allowPrivate: true, connectTimeoutMs: 2000, responseTimeoutMs: 2000 };
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe("test receivers", () => {
  it("count duplicates and notice events out of order", async () => {
    const receiver = await startSplunkHecReceiver({ token: "t" });
    try {
      const post = (seqs: number[]) =>
        sendRequest({ url: `${receiver.url}/services/collector/event`, headers: { authorization: "Splunk t" }, body: Buffer.from(seqs.map((seq) => JSON.stringify({ time: 1, host: "h", source: "s", sourcetype: "st", event: { id: `e${seq}`, seq } })).join("")) }, send);
      await post([1, 2, 3]);
      await post([2, 3, 4]);
      expect(receiver.summary()).toEqual({ requests: 2, events: 6, unique: 4, duplicates: 2, inOrder: true });
      expect(receiver.missing(1, 6)).toEqual([5, 6]);
      await post([6]);
      await post([5]);
      expect(receiver.summary()).toMatchObject({ unique: 6, inOrder: false });
    } finally {
      await receiver.close();
    }
  });

  it("misbehave as told for exactly the next requests, then recover; stopped, they refuse connections", async () => {
    const receiver = await startSplunkHecReceiver({ token: "t" });
    try {
      const post = () => sendRequest({ url: `${receiver.url}/services/collector/event`, headers: { authorization: "Splunk t" }, body: json({ time: 1, host: "h", source: "s", sourcetype: "st", event: { id: "e", seq: 1 } }) }, send);
      receiver.failNext(2, { type: "status", status: 429, headers: { "retry-after": "3" } });
      receiver.failNext(1, { type: "down" });
      expect(await post()).toMatchObject({ status: 429, retryAfterSeconds: 3 });
      expect(await post()).toMatchObject({ status: 429 });
      expect(await post()).toMatchObject({ error: { kind: "reset" } });
      expect(await post()).toMatchObject({ status: 200 });
      await receiver.stop();
      expect(await post()).toMatchObject({ error: { kind: "connect" } });
      await receiver.start();
      expect(await post()).toMatchObject({ status: 200 });
      expect(receiver.received).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it("enforce each destination's contract", async () => {
    const splunk = await startSplunkHecReceiver({ token: "t" });
    const datadog = await startDatadogReceiver({ apiKey: "k" });
    const webhook = await startWebhookReceiver({ secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });
    try {
      const hec = `${splunk.url}/services/collector/event`;
      expect(await sendRequest({ url: hec, headers: {}, body: json({ event: {} }) }, send)).toMatchObject({ status: 401, responseSnippet: '{"text":"Token is required","code":2}' });
      expect(await sendRequest({ url: hec, headers: { authorization: "Splunk t" }, body: Buffer.from("{} x") }, send)).toMatchObject({ status: 400 });
      expect(await sendRequest({ url: hec, headers: { authorization: "Splunk t" }, body: json({ time: 1795169700123, host: "h", source: "s", sourcetype: "st", event: { id: "e", seq: 1 } }) }, send)).toMatchObject({ status: 400 });
      const entries = (count: number) => gzipSync(json(Array.from({ length: count }, (_, seq) => ({ ddsource: "o", service: "o", message: JSON.stringify({ id: `e${seq}`, seq }) }))));
      expect(await sendRequest({ url: datadog.url, headers: { "dd-api-key": "k", "content-encoding": "gzip" }, body: entries(1001) }, send)).toMatchObject({ status: 413 });
      expect(await sendRequest({ url: datadog.url, headers: { "dd-api-key": "k", "content-encoding": "gzip" }, body: entries(1000) }, send)).toMatchObject({ status: 202 });
      expect(await sendRequest({ url: webhook.url, headers: { "content-type": "application/json" }, body: json([]) }, send)).toMatchObject({ status: 401 });
      expect(datadog.received).toHaveLength(1000);
      expect(splunk.received).toHaveLength(0);
    } finally {
      await Promise.all([splunk.close(), datadog.close(), webhook.close()]);
    }
  });

  it("split concatenated JSON envelopes, strings with braces included", () => {
    expect(splitConcatenatedJson('{"a":"}{\\""}\n{"b":{"c":1}} {"d":2}')).toEqual([{ a: '}{"' }, { b: { c: 1 } }, { d: 2 }]);
    expect(splitConcatenatedJson("  ")).toEqual([]);
    for (const bad of ['{"a":1', '{"a":1}]', '[{"a":1}]', '{"a":1}}']) expect(() => splitConcatenatedJson(bad), bad).toThrow();
  });
});

import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_CONTEXT } from "@/db/testing/app-event-assertions";
import { sql } from "@/db/client";
import { deliverNextBatch } from "./delivery";
import { recordDelivery } from "./delivery-state";
import { createStream, updateStream } from "./stream-store";
import { listDeliveries } from "./stream-controls";
import { startDatadogReceiver, startSplunkHecReceiver, startWebhookReceiver, type Receiver } from "./testing/receivers";
import { driveStream, ingestEvents, orgWithRoles, someEvents, storedEvents, streamRow, type OrgWithRoles } from "./testing/stream-fixtures";
import type { StreamFormat } from "./formats/format-event";

// The receivers listen on 127.0.0.1 over plain http.
process.env.ORGTRAIL_STREAMS_ALLOW_PRIVATE = "1";

const HEC_TOKEN = "delivery-hec-token";
const DD_KEY = "delivery-dd-api-key";
const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

type Kind = "webhook" | "webhook_ndjson" | "splunk_hec" | "datadog";

/** A stream of the organization to a fresh receiver of its kind (a webhook's receiver checks the stream's own secret). */
async function streamTo(org: OrgWithRoles, kind: Kind, options: { format?: StreamFormat; filter?: string } = {}) {
  const base = { name: `${kind} ${options.format ?? "orgtrail"}`, format: options.format ?? "orgtrail", filter: options.filter ?? "" };
  if (kind === "webhook" || kind === "webhook_ndjson") {
    const body_format = kind === "webhook" ? "json_array" : "ndjson";
    const { stream, secret } = await createStream(org.scopes.owner, TEST_CONTEXT, { ...base, destination: { type: "webhook", url: "http://127.0.0.1:9/not-yet" } });
    const receiver = await startWebhookReceiver({ secret: secret! });
    receivers.push(receiver);
    await updateStream(org.scopes.owner, TEST_CONTEXT, stream.id, { destination: { type: "webhook", url: receiver.url, body_format, headers: { Authorization: "Bearer custom-header-token" } } });
    return { stream: await streamRow(org.id, stream.id), receiver };
  }
  const receiver = kind === "splunk_hec" ? await startSplunkHecReceiver({ token: HEC_TOKEN }) : await startDatadogReceiver({ apiKey: DD_KEY });
  receivers.push(receiver);
  const destination = kind === "splunk_hec" ? { type: "splunk_hec" as const, url: receiver.url, token: HEC_TOKEN } : { type: "datadog" as const, intake_url: receiver.url, api_key: DD_KEY, tags: ["env:test"] };
  const { stream } = await createStream(org.scopes.owner, TEST_CONTEXT, { ...base, destination });
  return { stream: await streamRow(org.id, stream.id), receiver };
}

/** Delivers the stream to the head and checks what the receiver got: exactly `expected`, once each, in seq order. */
async function expectDelivered(org: OrgWithRoles, streamId: string, receiver: Receiver, expected: { id: string; seq: number }[]) {
  const row = await driveStream(org.id, streamId);
  expect(receiver.received).toEqual(expected);
  expect(receiver.summary()).toMatchObject({ duplicates: 0, inOrder: true, unique: expected.length });
  expect(Number(row.cursor_seq)).toBe(Number(row.head_seq));
  expect(row).toMatchObject({ consecutive_failures: 0, last_error: null, paused_at: null });
  const log = await listDeliveries(org.scopes.auditor, streamId, 200);
  const batches = log.filter((delivery) => delivery.kind === "batch");
  expect(batches.every((delivery) => delivery.ok && delivery.status! < 300 && delivery.error === null)).toBe(true);
  expect(batches.reduce((sum, delivery) => sum + delivery.event_count, 0)).toBe(expected.length);
  expect(batches.map((delivery) => [delivery.first_seq, delivery.last_seq]).reverse()).toEqual(receiver.requests.map((request) => [request.events[0]!.seq, request.events.at(-1)!.seq]));
  return row;
}

describe("delivering a stream", () => {
  it("sends every matching event to a webhook once, in seq order, signed, in batches of 1,000; never another organization's", async () => {
    const org = await orgWithRoles();
    const other = await orgWithRoles();
    const { stream, receiver } = await streamTo(org, "webhook", { filter: "action:user.*" });
    const start = Number(stream.cursor_seq);
    await Promise.all([ingestEvents(org, someEvents(4100)), ingestEvents(other, someEvents(300, ["user.signed_in"]))]);
    const expected = await storedEvents(org.id, start, { prefix: "user." });
    expect(expected).toHaveLength(2050);
    await expectDelivered(org, stream.id, receiver, expected);
    expect(receiver.requests.map((request) => request.events.length)).toEqual([1000, 1000, 50]);
    expect(receiver.requests.every((request) => request.status === 200 && request.headers.authorization === "Bearer custom-header-token")).toBe(true);
    expect(new Set(receiver.requests.map((request) => request.headers["webhook-id"])).size).toBe(3);
    const sent = JSON.parse(receiver.requests[0]!.body.toString()) as { id: string; seq: number; organization_id: string; action: string }[];
    expect(sent[0]).toMatchObject({ id: expected[0]!.id, seq: expected[0]!.seq, organization_id: org.id, action: "user.signed_in" });
    const otherIds = new Set((await storedEvents(other.id)).map((event) => event.id));
    expect(receiver.received.filter((event) => otherIds.has(event.id))).toEqual([]);
  });

  it("sends NDJSON in OCSF with everything the organization's owner sees, its own orgtrail.* events included", async () => {
    const org = await orgWithRoles();
    const { stream, receiver } = await streamTo(org, "webhook_ndjson", { format: "ocsf" });
    await ingestEvents(org, someEvents(1500));
    const expected = await storedEvents(org.id, Number(stream.cursor_seq));
    await expectDelivered(org, stream.id, receiver, expected);
    expect(receiver.requests[0]!.headers["content-type"]).toBe("application/x-ndjson");
    const first = JSON.parse(receiver.requests[0]!.body.toString().split("\n")[0]!) as { class_uid: number; metadata: { uid: string; sequence: number } };
    expect(first).toMatchObject({ class_uid: 6003, metadata: { uid: expected[0]!.id, sequence: expected[0]!.seq } });
    expect(receiver.requests.map((request) => request.events.length)).toEqual([1000, expected.length - 1000]);
  });

  for (const format of ["orgtrail", "ocsf"] as const) {
    it(`sends Splunk HEC envelopes (${format}) with the token, time in epoch seconds`, async () => {
      const org = await orgWithRoles();
      const { stream, receiver } = await streamTo(org, "splunk_hec", { format, filter: "-action:document.*" });
      await ingestEvents(org, someEvents(1200));
      await expectDelivered(org, stream.id, receiver, await storedEvents(org.id, Number(stream.cursor_seq), { notPrefix: "document." }));
      expect(receiver.requests[0]!.headers.authorization).toBe(`Splunk ${HEC_TOKEN}`);
      const envelope = JSON.parse(receiver.requests[0]!.body.toString().split("\n")[0]!) as { time: number; sourcetype: string };
      expect(envelope.time).toBeLessThan(1e11);
      expect(envelope.sourcetype).toBe(format === "ocsf" ? "orgtrail:ocsf" : "orgtrail:audit");
    });

    it(`sends Datadog gzip requests of at most 1,000 entries (${format})`, async () => {
      const org = await orgWithRoles();
      const { stream, receiver } = await streamTo(org, "datadog", { format });
      await ingestEvents(org, someEvents(2300));
      const expected = await storedEvents(org.id, Number(stream.cursor_seq));
      await expectDelivered(org, stream.id, receiver, expected);
      expect(receiver.requests.every((request) => request.headers["content-encoding"] === "gzip" && request.headers["dd-api-key"] === DD_KEY)).toBe(true);
      expect(receiver.requests.map((request) => request.events.length).every((count) => count <= 1000)).toBe(true);
      const [entry] = JSON.parse(gunzipSync(receiver.requests[0]!.body).toString()) as { ddtags: string; message: string }[];
      expect(entry!.ddtags).toBe("env:test");
    });
  }

  it("moves the cursor past events the filter leaves out without sending anything", async () => {
    const org = await orgWithRoles();
    const { stream, receiver } = await streamTo(org, "webhook", { filter: "action:nothing.matches" });
    await ingestEvents(org, someEvents(2500));
    const row = await streamRow(org.id, stream.id);
    expect(await deliverNextBatch(row)).toEqual({ kind: "caught_up" });
    const after = await streamRow(org.id, stream.id);
    expect(Number(after.cursor_seq)).toBe(Number(row.head_seq));
    expect(receiver.requests).toEqual([]);
    expect(await listDeliveries(org.scopes.owner, stream.id)).toEqual([]);
  });

  it("picks up events that arrive later from where it stopped", async () => {
    const org = await orgWithRoles();
    const { stream, receiver } = await streamTo(org, "webhook");
    const start = Number(stream.cursor_seq);
    await ingestEvents(org, someEvents(10));
    await driveStream(org.id, stream.id);
    await ingestEvents(org, someEvents(15));
    await expectDelivered(org, stream.id, receiver, await storedEvents(org.id, start));
    expect(receiver.requests).toHaveLength(2);
  });

  it("keeps the delivery log to its latest 200 attempts", async () => {
    const org = await orgWithRoles();
    const { stream } = await streamTo(org, "splunk_hec");
    for (let attempt = 1; attempt <= 205; attempt++) {
      await recordDelivery(stream, "batch", { outcome: "delivered", status: 200, latencyMs: 1 }, { firstSeq: attempt, lastSeq: attempt, eventCount: 1 });
    }
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from log_stream_deliveries where stream_id = ${stream.id}`;
    expect(Number(n)).toBe(200);
    const log = await listDeliveries(org.scopes.owner, stream.id, 500);
    expect([log[0]!.first_seq, log.at(-1)!.first_seq]).toEqual([205, 6]);
  });
});

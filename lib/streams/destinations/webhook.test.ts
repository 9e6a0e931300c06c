import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendRequest } from "../http-send";
import { generateWebhookSecret } from "../standard-webhooks";
import { sampleBatch, SAMPLE_STREAM_ID } from "../testing/sample-events";
import { startWebhookReceiver, type Receiver } from "../testing/receivers";
import type { WebhookDestination } from "./config";
import { buildWebhookRequest, webhookMessageId } from "./webhook";

const secret = generateWebhookSecret();
let receiver: Receiver;
const send = { allowPrivate: true, connectTimeoutMs: 2000, responseTimeoutMs: 2000 };

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret });
});
afterAll(() => receiver.close());

function destination(overrides: Partial<WebhookDestination["config"]> = {}, headers: Record<string, string> = {}, secrets = [secret]): WebhookDestination {
  return { config: { type: "webhook", url: receiver.url, body_format: "json_array", header_names: Object.keys(headers), ...overrides }, secrets: { signing_secrets: secrets, headers } };
}

describe("webhook requests", () => {
  it("deliver a signed JSON array the receiver verifies with standardwebhooks, each event with its id and seq", async () => {
    const batch = sampleBatch(1, 3);
    const request = buildWebhookRequest(batch, destination({}, { "X-Team": "security", Authorization: "Bearer t" }));
    expect(request.headers).toMatchObject({ "content-type": "application/json", "x-team": "security", authorization: "Bearer t", "webhook-id": webhookMessageId(batch) });
    const body = JSON.parse(request.body.toString());
    expect(body.map((event: { id: string; seq: number }) => [event.id, event.seq])).toEqual(batch.events.map((event) => [event.id, event.seq]));
    expect(await sendRequest(request, send)).toMatchObject({ outcome: "delivered", status: 200 });
    expect(receiver.received.slice(-3).map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(receiver.requests.at(-1)?.headers["x-team"]).toBe("security");
  });

  it("deliver NDJSON, in the OCSF format too", async () => {
    const batch = sampleBatch(4, 2, "ocsf");
    const request = buildWebhookRequest(batch, destination({ body_format: "ndjson" }));
    expect(request.headers["content-type"]).toBe("application/x-ndjson");
    const lines = request.body.toString().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    expect(JSON.parse(lines[0]!)).toMatchObject({ class_uid: 6003, metadata: { uid: batch.events[0]!.id, sequence: 4 } });
    expect(await sendRequest(request, send)).toMatchObject({ outcome: "delivered" });
    expect(receiver.received.slice(-2)).toEqual(batch.events.map(({ id, seq }) => ({ id, seq })));
  });

  it("keep the webhook-id of a batch across retries, so receivers can dedupe; a replay gets a new one", () => {
    const batch = sampleBatch(10, 5);
    const first = buildWebhookRequest(batch, destination(), { now: new Date("2026-11-20T10:00:00Z") });
    const retry = buildWebhookRequest(batch, destination(), { now: new Date("2026-11-20T10:05:00Z") });
    expect(first.headers["webhook-id"]).toBe(`msg_${SAMPLE_STREAM_ID.replace(/-/g, "")}_10_14`);
    expect(retry.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(retry.headers["webhook-timestamp"]).not.toBe(first.headers["webhook-timestamp"]);
    expect(webhookMessageId({ ...batch, replay: 2 })).toBe(`msg_${SAMPLE_STREAM_ID.replace(/-/g, "")}_r2_10_14`);
    expect(webhookMessageId(sampleBatch(10, 4))).not.toBe(first.headers["webhook-id"]);
    expect(() => buildWebhookRequest({ ...batch, events: [] }, destination())).toThrow(/at least one event/);
  });

  it("sign with both secrets during a rotation: a receiver still on the old secret verifies", async () => {
    const newSecret = generateWebhookSecret();
    const request = buildWebhookRequest(sampleBatch(20, 1), destination({}, {}, [newSecret, secret]));
    expect(request.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(newSecret).verify(request.body, request.headers)).toHaveLength(1);
    expect(await sendRequest(request, send)).toMatchObject({ outcome: "delivered" });
    const onlyNew = buildWebhookRequest(sampleBatch(21, 1), destination({}, {}, [newSecret]));
    expect(await sendRequest(onlyNew, send)).toMatchObject({ outcome: "permanent", status: 401 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDestinationUrl, type Resolver } from "./destination-guard";
import { classifySendResult, parseRetryAfter, sendRequest } from "./http-send";
import { startWebhookReceiver, type Receiver } from "./testing/receivers";
import { generateWebhookSecret, webhookSignatureHeaders } from "./standard-webhooks";

const secret = generateWebhookSecret();
let receiver: Receiver;
let other: Receiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret });
  other = await startWebhookReceiver({ secret });
});
afterAll(async () => {
  await receiver.close();
  await other.close();
});

/** A signed webhook request carrying event seq `seq`. */
function signed(url: string, seq: number) {
  const body = Buffer.from(JSON.stringify([{ id: `evt_${seq}`, seq }]));
  return { url, body, headers: { "content-type": "application/json", ...webhookSignatureHeaders({ id: `msg_${seq}`, timestamp: new Date(), body, secrets: [secret] }) } };
}
const local = { allowPrivate: true, connectTimeoutMs: 2000, responseTimeoutMs: 2000 };

describe("sendRequest", () => {
  it("delivers, reporting status, latency and the start of the response", async () => {
    const result = await sendRequest(signed(receiver.url, 1), local);
    expect(result).toMatchObject({ outcome: "delivered", status: 200, responseSnippet: '{"ok":true}' });
    expect(result.error).toBeUndefined();
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(receiver.received.at(-1)).toEqual({ id: "evt_1", seq: 1 });
    expect(receiver.requests.at(-1)?.headers["user-agent"]).toBe("Orgtrail-LogStreams/1");
    expect(await sendRequest(signed(`http://localhost:${receiver.port}/hooks/orgtrail`, 1), local)).toMatchObject({ outcome: "delivered" });
  });

  it("does not follow a redirect: a 3xx is a permanent failure with its status", async () => {
    const before = other.requests.length;
    receiver.failNext(1, { type: "status", status: 307, headers: { location: other.url } });
    const result = await sendRequest(signed(receiver.url, 2), local);
    expect(result).toMatchObject({ outcome: "permanent", status: 307, error: { kind: "redirect", message: expect.stringContaining(other.url) } });
    expect(other.requests.length).toBe(before);
  });

  it("classifies 408, 429 and 5xx as retryable with Retry-After, other 4xx as permanent", async () => {
    receiver.failNext(1, { type: "status", status: 429, headers: { "retry-after": "7" } });
    expect(await sendRequest(signed(receiver.url, 3), local)).toMatchObject({ outcome: "retryable", status: 429, retryAfterSeconds: 7 });
    receiver.failNext(1, { type: "status", status: 503, headers: { "retry-after": new Date(Date.now() + 120_000).toUTCString() } });
    const unavailable = await sendRequest(signed(receiver.url, 3), local);
    expect(unavailable).toMatchObject({ outcome: "retryable", status: 503 });
    expect(unavailable.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(unavailable.retryAfterSeconds).toBeLessThanOrEqual(120);
    receiver.failNext(1, { type: "status", status: 500 });
    expect(await sendRequest(signed(receiver.url, 3), local)).toMatchObject({ outcome: "retryable", status: 500, responseSnippet: '{"error":"induced 500"}' });
    receiver.failNext(1, { type: "status", status: 408 });
    expect(await sendRequest(signed(receiver.url, 3), local)).toMatchObject({ outcome: "retryable", status: 408 });
    receiver.failNext(1, { type: "status", status: 400 });
    expect(await sendRequest(signed(receiver.url, 3), local)).toMatchObject({ outcome: "permanent", status: 400 });
    const badSignature = signed(receiver.url, 3);
    badSignature.headers["webhook-signature"] = "v1,AAAA";
    expect(await sendRequest(badSignature, local)).toMatchObject({ outcome: "permanent", status: 401 });
  });

  it("times out a slow response, and a connection that never comes", async () => {
    receiver.failNext(1, { type: "slow", delayMs: 600 });
    const slow = await sendRequest(signed(receiver.url, 4), { ...local, responseTimeoutMs: 150 });
    expect(slow).toMatchObject({ outcome: "retryable", error: { kind: "timeout", message: "no complete response within 150 ms" } });
    expect(slow.latencyMs).toBeLessThan(550);
    const neverResolves: Resolver = () => new Promise(() => {});
    const hung = await sendRequest(signed("http://hangs.example.com/", 4), { ...local, connectTimeoutMs: 100, resolve: neverResolves });
    expect(hung).toMatchObject({ outcome: "retryable", error: { kind: "timeout", message: "no connection within 100 ms" } });
  });

  it("reports a dropped connection, a refused one and a failed lookup as retryable network errors", async () => {
    receiver.failNext(1, { type: "down" });
    expect(await sendRequest(signed(receiver.url, 5), local)).toMatchObject({ outcome: "retryable", error: { kind: "reset" } });
    await other.stop();
    expect(await sendRequest(signed(other.url, 5), local)).toMatchObject({ outcome: "retryable", error: { kind: "connect" } });
    await other.start();
    expect(await sendRequest(signed(other.url, 5), local)).toMatchObject({ outcome: "delivered" });
    const noSuchHost: Resolver = async (hostname) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    };
    expect(await sendRequest(signed("http://gone.example.com/", 5), { ...local, resolve: noSuchHost })).toMatchObject({ outcome: "retryable", error: { kind: "dns" } });
  });

  it("refuses private addresses without connecting when they are not allowed, literals and names alike", async () => {
    const before = receiver.requests.length;
    const guarded = { allowPrivate: false, connectTimeoutMs: 2000, responseTimeoutMs: 2000 };
    const port = receiver.port;
    for (const url of [`https://127.0.0.1:${port}/hooks/orgtrail`, `https://[::1]:${port}/`, "https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/", `https://[::ffff:127.0.0.1]:${port}/`, `https://localhost:${port}/hooks/orgtrail`]) {
      expect(await sendRequest(signed(url, 6), guarded), url).toMatchObject({ outcome: "permanent", error: { kind: "refused_address", message: expect.stringMatching(/may not reach/) } });
    }
    expect(await sendRequest(signed(receiver.url, 6), guarded)).toMatchObject({ outcome: "permanent", error: { kind: "refused_url" } });
    expect(receiver.requests.length).toBe(before);
  });

  it("catches DNS rebinding: a name public when saved and private when connecting is refused at connect time", async () => {
    let answer = "93.184.215.14";
    const rebinding: Resolver = async () => [{ address: answer, family: 4 }];
    await checkDestinationUrl("https://rebind.example.com/hooks", { allowPrivate: false, resolve: rebinding });
    answer = "127.0.0.1";
    expect(await sendRequest(signed(`https://rebind.example.com:${receiver.port}/hooks/orgtrail`, 7), { allowPrivate: false, resolve: rebinding })).toMatchObject({
      outcome: "permanent",
      error: { kind: "refused_address", message: "rebind.example.com (127.0.0.1) is a loopback address, which log streams may not reach: use a public https destination" },
    });
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    receiver.failNext(1, { type: "slow", delayMs: 500 });
    const sending = sendRequest(signed(receiver.url, 8), { ...local, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await sending).toMatchObject({ outcome: "retryable", error: { kind: "aborted" } });
    expect(await sendRequest(signed(receiver.url, 8), { ...local, signal: controller.signal })).toMatchObject({ error: { kind: "aborted", message: "aborted before sending" } });
  });
});

describe("parseRetryAfter and classifySendResult", () => {
  it("reads seconds and HTTP dates, never negative, at most a day", () => {
    const now = Date.parse("2026-11-20T10:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Fri, 20 Nov 2026 10:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Fri, 20 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("9999999", now)).toBe(86_400);
    for (const bad of [undefined, "", "soon", "-5", "1.5"]) expect(parseRetryAfter(bad, now), String(bad)).toBeUndefined();
  });

  it("maps statuses and errors to outcomes", () => {
    expect([200, 202, 204, 299].map((status) => classifySendResult({ status }))).toEqual(Array(4).fill("delivered"));
    expect([408, 429, 500, 502, 503, 504].map((status) => classifySendResult({ status }))).toEqual(Array(6).fill("retryable"));
    expect([301, 400, 401, 403, 404, 413, 422].map((status) => classifySendResult({ status }))).toEqual(Array(7).fill("permanent"));
    expect(classifySendResult({ error: { kind: "timeout", message: "" } })).toBe("retryable");
    expect(classifySendResult({ error: { kind: "tls", message: "" } })).toBe("retryable");
    expect(classifySendResult({ error: { kind: "refused_address", message: "" } })).toBe("permanent");
  });
});

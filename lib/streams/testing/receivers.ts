import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { Webhook } from "standardwebhooks";

/*
 * Test-only: real HTTP servers on 127.0.0.1 that implement each destination's
 * contract (auth, body shape, status codes), record the events they accept in
 * the order they arrive, and can be told to misbehave for the next requests.
 * They speak plain http: tests send with allowPrivate.
 */

export type ReceivedEvent = { id: string; seq: number };
export type ReceiverFault =
  /** The connection is dropped without an answer. */
  | { type: "down" }
  /** This status (and headers, like Retry-After or Location) instead of handling the request. */
  | { type: "status"; status: number; headers?: Record<string, string>; body?: string }
  /** The request is handled normally after a delay (its events count even if the sender gave up). */
  | { type: "slow"; delayMs: number };

export type RecordedRequest = { path: string; headers: IncomingHttpHeaders; body: Buffer; status: number; events: ReceivedEvent[] };
export type ReceiverSummary = { requests: number; events: number; unique: number; duplicates: number; inOrder: boolean };

export type Receiver = {
  /** The URL to configure: the webhook URL, the Splunk base URL, the Datadog intake URL. */
  url: string;
  port: number;
  /** Every accepted event, in arrival order, duplicates included. */
  received: ReceivedEvent[];
  requests: RecordedRequest[];
  /** The next `count` requests meet `fault`. */
  failNext(count: number, fault: ReceiverFault): void;
  /** Stop listening (connections are refused) until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Counts, and whether each event first arrived after every lower seq and each request was in seq order. */
  summary(): ReceiverSummary;
  /** The seqs from `from` to `to` never received. */
  missing(from: number, to: number): number[];
  /** Requests that arrived and are not answered yet. */
  inFlight(): number;
};

type Answer = { status: number; body: object; events?: ReceivedEvent[] };
type Handler = (request: IncomingMessage, body: Buffer) => Answer;

const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** id and seq of a delivered payload: Orgtrail's format, or OCSF's metadata.uid / metadata.sequence. */
export function eventKey(payload: unknown): ReceivedEvent {
  const event = payload as { id?: unknown; seq?: unknown; metadata?: { uid?: unknown; sequence?: unknown } };
  const id = event.metadata?.uid ?? event.id;
  const seq = event.metadata?.sequence ?? event.seq;
  if (typeof id !== "string" || typeof seq !== "number") throw new Error("event without id and seq");
  return { id, seq };
}

/** Webhook receiver: checks the Standard Webhooks signature with the standardwebhooks package; JSON array or NDJSON. */
export function startWebhookReceiver(options: { secret: string }): Promise<Receiver> {
  const verifier = new Webhook(options.secret);
  return startReceiver("/hooks/orgtrail", (request, body) => {
    try {
      verifier.verify(body, request.headers as Record<string, string>, { jsonParse: false });
    } catch (error) {
      return { status: 401, body: { error: `signature: ${(error as Error).message}` } };
    }
    const text = body.toString("utf8");
    const type = request.headers["content-type"];
    const payloads: unknown = type === "application/x-ndjson" ? text.split("\n").filter(Boolean).map((line) => JSON.parse(line)) : type === "application/json" ? JSON.parse(text) : null;
    if (!Array.isArray(payloads)) return { status: 400, body: { error: `expected a JSON array or NDJSON, got ${type}` } };
    return { status: 200, body: { ok: true }, events: payloads.map(eventKey) };
  });
}

/** Splunk HEC receiver: `Authorization: Splunk <token>`, concatenated envelopes with time and event. */
export function startSplunkHecReceiver(options: { token: string }): Promise<Receiver> {
  return startReceiver("/services/collector/event", (request, body) => {
    const authorization = request.headers.authorization;
    if (!authorization) return { status: 401, body: { text: "Token is required", code: 2 } };
    if (authorization !== `Splunk ${options.token}`) return { status: 403, body: { text: "Invalid token", code: 4 } };
    let envelopes: unknown[];
    try {
      envelopes = splitConcatenatedJson(body.toString("utf8"));
    } catch {
      return { status: 400, body: { text: "Invalid data format", code: 6 } };
    }
    if (envelopes.length === 0) return { status: 400, body: { text: "No data", code: 5 } };
    for (const envelope of envelopes as { time?: unknown; event?: unknown; host?: unknown; source?: unknown; sourcetype?: unknown }[]) {
      if (envelope.event === undefined || envelope.event === null) return { status: 400, body: { text: "Event field is required", code: 12 } };
      if (typeof envelope.time !== "number" || envelope.time > 1e11) return { status: 400, body: { text: "Invalid time (epoch seconds)", code: 6 } };
      if (typeof envelope.host !== "string" || typeof envelope.source !== "string" || typeof envelope.sourcetype !== "string") return { status: 400, body: { text: "Invalid data format", code: 6 } };
    }
    return { status: 200, body: { text: "Success", code: 0 }, events: envelopes.map((envelope) => eventKey((envelope as { event: unknown }).event)) };
  }, "");
}

/** Datadog logs intake receiver: DD-API-KEY, gzip, a JSON array of at most 1,000 entries and 5 MB. */
export function startDatadogReceiver(options: { apiKey: string }): Promise<Receiver> {
  return startReceiver("/api/v2/logs", (request, body) => {
    if (request.headers["dd-api-key"] !== options.apiKey) return { status: 403, body: { errors: [{ status: "403", title: "Forbidden", detail: "API key is invalid" }] } };
    let json: Buffer;
    try {
      json = request.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body;
    } catch {
      return { status: 400, body: { errors: [{ status: "400", title: "Bad Request", detail: "not gzip" }] } };
    }
    if (json.length > 5_000_000) return { status: 413, body: { errors: [{ status: "413", title: "Payload Too Large", detail: `${json.length} bytes` }] } };
    const entries: unknown = JSON.parse(json.toString("utf8"));
    if (!Array.isArray(entries)) return { status: 400, body: { errors: [{ status: "400", title: "Bad Request", detail: "expected an array" }] } };
    if (entries.length > 1000) return { status: 413, body: { errors: [{ status: "413", title: "Payload Too Large", detail: `${entries.length} entries` }] } };
    const events: ReceivedEvent[] = [];
    for (const entry of entries as { message?: unknown; ddsource?: unknown; service?: unknown }[]) {
      if (typeof entry.message !== "string" || typeof entry.ddsource !== "string" || typeof entry.service !== "string") {
        return { status: 400, body: { errors: [{ status: "400", title: "Bad Request", detail: "entry needs message, ddsource, service" }] } };
      }
      events.push(eventKey(JSON.parse(entry.message)));
    }
    return { status: 202, body: {}, events };
  });
}

/** Splits `{...} {...}\n{...}` into values; throws on anything else between them. */
export function splitConcatenatedJson(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") {
      if (depth++ === 0) start = index;
    } else if (char === "}") {
      if (--depth === 0) values.push(JSON.parse(text.slice(start, index + 1)));
      if (depth < 0) throw new Error("unbalanced }");
    } else if (depth === 0 && !/\s/.test(char)) throw new Error(`unexpected ${char} between envelopes`);
  }
  if (depth !== 0 || inString) throw new Error("truncated envelope");
  return values;
}

async function startReceiver(path: string, handle: Handler, urlPath = path): Promise<Receiver> {
  const received: ReceivedEvent[] = [];
  const requests: RecordedRequest[] = [];
  const faults: ReceiverFault[] = [];
  let pending = 0;

  const respond = (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    let answer: Answer;
    if (request.method !== "POST") answer = { status: 405, body: { error: "POST only" } };
    else if (new URL(request.url ?? "/", "http://receiver").pathname !== path) answer = { status: 404, body: { error: `no route ${request.url}` } };
    else {
      try {
        answer = handle(request, body);
      } catch (error) {
        answer = { status: 400, body: { error: (error as Error).message } };
      }
    }
    const events = answer.status < 300 ? (answer.events ?? []) : [];
    received.push(...events);
    requests.push({ path: request.url ?? "", headers: request.headers, body, status: answer.status, events });
    response.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  };

  const server = http.createServer((request, response) => {
    pending += 1;
    response.once("close", () => {
      pending -= 1;
    });
    const fault = faults.shift();
    if (fault?.type === "down") {
      request.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.socket.destroy();
      else chunks.push(chunk);
    });
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      if (fault?.type === "status") {
        requests.push({ path: request.url ?? "", headers: request.headers, body, status: fault.status, events: [] });
        response.writeHead(fault.status, { "content-type": "application/json", ...fault.headers }).end(fault.body ?? JSON.stringify({ error: `induced ${fault.status}` }));
      } else if (fault?.type === "slow") setTimeout(() => respond(request, response, body), fault.delayMs);
      else respond(request, response, body);
    });
  });

  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const stop = () => new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
  const port = await listen(0);

  return {
    url: `http://127.0.0.1:${port}${urlPath}`,
    port,
    received,
    requests,
    failNext(count, fault) {
      for (let index = 0; index < count; index++) faults.push(fault);
    },
    stop,
    start: async () => {
      if (!server.listening) await listen(port);
    },
    close: stop,
    summary() {
      const firstSeen: number[] = [];
      const seen = new Set<string>();
      for (const event of received) {
        if (!seen.has(event.id)) firstSeen.push(event.seq);
        seen.add(event.id);
      }
      const ascending = (seqs: number[]) => seqs.every((seq, index) => index === 0 || seq > seqs[index - 1]!);
      return {
        requests: requests.length,
        events: received.length,
        unique: seen.size,
        duplicates: received.length - seen.size,
        inOrder: ascending(firstSeen) && requests.every((request) => ascending(request.events.map((event) => event.seq))),
      };
    },
    inFlight: () => pending,
    missing(from, to) {
      const seqs = new Set(received.map((event) => event.seq));
      return Array.from({ length: to - from + 1 }, (_, index) => from + index).filter((seq) => !seqs.has(seq));
    },
  };
}

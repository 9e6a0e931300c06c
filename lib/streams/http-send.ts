import "server-only";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { guardedLookup, RefusedAddressError, urlRefusal, type Resolver } from "./destination-guard";
import type { OutboundRequest } from "./destinations/outbound-request";

/*
 * Sends one delivery request and reports what happened, never throwing: the
 * delivery engine decides from `outcome` whether to move the cursor, retry with
 * back-off, or pause the stream. Redirects are not followed (the address after
 * a redirect was never checked); each request opens its own connection, so
 * every connection goes through the guarded lookup.
 */

export type SendErrorKind =
  | "invalid_url"
  | "refused_url"
  | "refused_address"
  | "dns"
  | "connect"
  | "tls"
  | "timeout"
  | "reset"
  | "network"
  | "redirect"
  | "aborted";

/** delivered: 2xx. retryable: 408, 429, 5xx, network trouble. permanent: other 4xx, 3xx, a refused or invalid URL. */
export type SendOutcome = "delivered" | "retryable" | "permanent";

export type SendResult = {
  outcome: SendOutcome;
  /** The response status, when there was a response. */
  status?: number;
  /** From a Retry-After header (seconds or an HTTP date), at most a day. */
  retryAfterSeconds?: number;
  latencyMs: number;
  error?: { kind: SendErrorKind; message: string };
  /** The start of the response body, for the delivery log. */
  responseSnippet?: string;
};

export type SendOptions = {
  /** Allow http:// and private addresses (ORGTRAIL_STREAMS_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** Name lookup through TCP (and TLS) handshake. */
  connectTimeoutMs?: number;
  /** From connected to the end of the response. */
  responseTimeoutMs?: number;
  resolve?: Resolver;
  signal?: AbortSignal;
};

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;
export const MAX_RETRY_AFTER_SECONDS = 86_400;
const SNIPPET_BYTES = 512;
const USER_AGENT = "Orgtrail-LogStreams/1";
const PERMANENT_ERRORS: ReadonlySet<SendErrorKind> = new Set(["invalid_url", "refused_url", "refused_address", "redirect"]);

export function classifySendResult(result: Pick<SendResult, "status" | "error">): SendOutcome {
  if (result.error) return PERMANENT_ERRORS.has(result.error.kind) ? "permanent" : "retryable";
  const status = result.status ?? 0;
  if (status >= 200 && status < 300) return "delivered";
  if (status === 408 || status === 429 || status >= 500) return "retryable";
  return "permanent";
}

/** Retry-After as whole seconds from `now` (a delay or an HTTP date), capped at a day; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const seconds = /^\d+$/.test(trimmed) ? Number(trimmed) : /[a-z]/i.test(trimmed) ? Math.ceil((Date.parse(trimmed) - now) / 1000) : NaN;
  if (Number.isNaN(seconds)) return undefined;
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}

class SendFailure extends Error {
  constructor(readonly kind: SendErrorKind, message: string) {
    super(message);
  }
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

function failureOf(error: unknown): SendFailure {
  if (error instanceof SendFailure) return error;
  if (error instanceof RefusedAddressError) return new SendFailure("refused_address", error.message);
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const message = (error as Error).message ?? String(error);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA") return new SendFailure("dns", `name lookup failed: ${message}`);
  if (code === "ECONNREFUSED" || code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL") return new SendFailure("connect", `cannot connect: ${message}`);
  if (TLS_CODE.test(code)) return new SendFailure("tls", `TLS failed: ${message}`);
  if (code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED") return new SendFailure("reset", `connection closed: ${message}`);
  return new SendFailure("network", message);
}

/** POSTs the request; resolves with the outcome, never rejects. */
export function sendRequest(request: OutboundRequest, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const refusal = urlRefusal(request.url, options);
  if (refusal) return Promise.resolve({ outcome: "permanent", latencyMs: latency(), error: refusal });
  if (options.signal?.aborted) return Promise.resolve({ outcome: "retryable", latencyMs: latency(), error: { kind: "aborted", message: "aborted before sending" } });

  const url = new URL(request.url);
  const secure = url.protocol === "https:";
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const responseTimeoutMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;

  return new Promise((resolve) => {
    let settled = false;
    let responseTimer: NodeJS.Timeout | undefined;
    const finish = (result: Omit<SendResult, "outcome" | "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(responseTimer);
      options.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      resolve({ outcome: classifySendResult(result), latencyMs: latency(), ...result });
    };
    const fail = (error: unknown) => {
      const failure = failureOf(error);
      finish({ error: { kind: failure.kind, message: failure.message } });
    };

    const req = (secure ? https : http).request({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port || undefined,
      path: url.pathname + url.search,
      headers: { "user-agent": USER_AGENT, ...request.headers, "content-length": String(request.body.length) },
      agent: false,
      lookup: guardedLookup(options),
    });
    const connectTimer = setTimeout(() => req.destroy(new SendFailure("timeout", `no connection within ${connectTimeoutMs} ms`)), connectTimeoutMs);
    const onAbort = () => req.destroy(new SendFailure("aborted", "aborted while sending"));
    options.signal?.addEventListener("abort", onAbort, { once: true });

    req.on("socket", (socket) => {
      socket.once(secure ? "secureConnect" : "connect", () => {
        clearTimeout(connectTimer);
        responseTimer = setTimeout(() => req.destroy(new SendFailure("timeout", `no complete response within ${responseTimeoutMs} ms`)), responseTimeoutMs);
      });
    });
    req.on("error", fail);
    req.on("response", (response) => readResponse(response, finish));
    req.end(request.body);
  });
}

function readResponse(response: IncomingMessage, finish: (result: Omit<SendResult, "outcome" | "latencyMs">) => void): void {
  const status = response.statusCode ?? 0;
  const retryAfterSeconds = status >= 300 ? parseRetryAfter(response.headers["retry-after"]) : undefined;
  const chunks: Buffer[] = [];
  let length = 0;
  const done = () => {
    const snippet = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString("utf8");
    const redirect = status >= 300 && status < 400;
    finish({
      status,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...(snippet ? { responseSnippet: snippet } : {}),
      ...(redirect ? { error: { kind: "redirect", message: `redirected (${status}) to ${response.headers.location ?? "nowhere"}, which is not followed: update the destination URL` } } : {}),
    });
  };
  response.on("data", (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= SNIPPET_BYTES) done();
  });
  response.on("end", done);
  response.on("close", done);
  response.on("error", done);
}

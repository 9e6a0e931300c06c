import "server-only";
import type { LogStreamFormat, LogStreamType } from "@/db/schema";
import { destinationConfigSchema, type Destination } from "./destinations/config";

/** How many delivery attempts a stream's log keeps. */
export const DELIVERY_LOG_SIZE = 200;

/** How long deliveries may fail before a stream counts as failing and its owners are told. */
export const FAILING_AFTER_MS = 24 * 60 * 60 * 1000;

export type StreamState = "active" | "paused" | "failing";

/** A log stream as the API returns it and the settings page shows it: never a secret, only hints of them. */
export type StreamJson = {
  id: string;
  name: string;
  state: StreamState;
  /** Deliveries are failing now and being retried (not yet for 24 hours). */
  retrying: boolean;
  type: LogStreamType;
  format: LogStreamFormat;
  filter: string;
  destination: Record<string, unknown> & { type: LogStreamType; secret_hints: Record<string, string> };
  cursor_seq: number;
  head_seq: number;
  lag_events: number;
  paused_reason: string | null;
  failing_since: string | null;
  next_attempt_at: string | null;
  last_delivered_at: string | null;
  last_error: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

export type StreamRow = {
  id: string;
  organization_id: string;
  name: string;
  type: LogStreamType;
  format: LogStreamFormat;
  filter: string;
  config: Record<string, unknown>;
  secrets_encrypted: string;
  secret_rotated_at: Date | null;
  replay_count: number;
  cursor_seq: string | number;
  head_seq: string | number;
  paused_at: Date | null;
  paused_reason: string | null;
  failing_since: Date | null;
  failing_reported_at: Date | null;
  consecutive_failures: number;
  next_attempt_at: Date;
  last_delivered_at: Date | null;
  last_error: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
};

/** The columns a StreamRow is read with (`s` is log_streams, `c` its organization's chain, `u` the creator). */
export const STREAM_COLUMNS = `s.id, s.organization_id, s.name, s.type, s.format, s.filter, s.config, s.secrets_encrypted, s.secret_rotated_at,
  s.replay_count, s.cursor_seq, coalesce(c.chain_seq, 0) as head_seq, s.paused_at, s.paused_reason, s.failing_since, s.failing_reported_at,
  s.consecutive_failures, s.next_attempt_at, s.last_delivered_at, s.last_error, u.name as created_by, s.created_at, s.updated_at`;

export function streamState(row: Pick<StreamRow, "paused_at" | "failing_since">, now = Date.now()): StreamState {
  if (row.paused_at) return "paused";
  if (row.failing_since && now - row.failing_since.getTime() >= FAILING_AFTER_MS) return "failing";
  return "active";
}

/** The end of a secret, enough to tell which one is set: `…x7Qa`. */
const hint = (secret: string) => `…${secret.slice(-4)}`;

export function secretHints(destination: Destination): Record<string, string> {
  switch (destination.config.type) {
    case "webhook": {
      const { signing_secrets } = destination.secrets as { signing_secrets: string[] };
      return Object.fromEntries(signing_secrets.map((secret, index) => [index === 0 ? "signing_secret" : "previous_signing_secret", `whsec_${hint(secret)}`]));
    }
    case "splunk_hec":
      return { token: hint((destination.secrets as { token: string }).token) };
    case "datadog":
      return { api_key: hint((destination.secrets as { api_key: string }).api_key) };
  }
}

export function toStreamJson(row: StreamRow, destination: Destination): StreamJson {
  const cursor = Number(row.cursor_seq);
  const head = Number(row.head_seq);
  const config = destinationConfigSchema.parse(row.config);
  return {
    id: row.id,
    name: row.name,
    state: streamState(row),
    retrying: !row.paused_at && row.consecutive_failures > 0,
    type: row.type,
    format: row.format,
    filter: row.filter,
    destination: { ...config, secret_hints: secretHints(destination) },
    cursor_seq: cursor,
    head_seq: head,
    lag_events: Math.max(0, head - cursor),
    paused_reason: row.paused_reason,
    failing_since: row.failing_since?.toISOString() ?? null,
    next_attempt_at: row.paused_at || row.consecutive_failures === 0 ? null : row.next_attempt_at.toISOString(),
    last_delivered_at: row.last_delivered_at?.toISOString() ?? null,
    last_error: row.last_error,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export type DeliveryJson = {
  id: number;
  kind: "batch" | "test";
  attempted_at: string;
  ok: boolean;
  status: number | null;
  latency_ms: number;
  event_count: number;
  first_seq: number | null;
  last_seq: number | null;
  error: string | null;
};

export type DeliveryRow = {
  id: string;
  kind: "batch" | "test";
  attempted_at: Date;
  ok: boolean;
  status: number | null;
  latency_ms: number;
  event_count: number;
  first_seq: string | null;
  last_seq: string | null;
  error: string | null;
};

export const DELIVERY_COLUMNS = "id, kind, attempted_at, ok, status, latency_ms, event_count, first_seq, last_seq, error";

export function toDeliveryJson(row: DeliveryRow): DeliveryJson {
  return {
    ...row,
    id: Number(row.id),
    attempted_at: row.attempted_at.toISOString(),
    first_seq: row.first_seq === null ? null : Number(row.first_seq),
    last_seq: row.last_seq === null ? null : Number(row.last_seq),
  };
}

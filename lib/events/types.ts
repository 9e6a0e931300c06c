export type Metadata = Record<string, string | number | boolean>;

export type EventEntity = { type: string; id: string; name?: string; metadata?: Metadata };

/** An event as the API returns it and as it is hashed (without `hash`). */
export type AuditEvent = {
  id: string;
  organization_id: string;
  seq: number;
  action: string;
  version: number;
  occurred_at: string;
  received_at: string;
  actor: EventEntity;
  targets: EventEntity[];
  context: { location?: string; user_agent?: string };
  metadata: Metadata;
  hash: string;
};

/** An event checked and normalized, ready to be appended to an organization's chain. */
export type PreparedEvent = {
  id: string;
  action: string;
  version: number;
  occurredAt: Date;
  receivedAt?: Date;
  actor: EventEntity;
  targets: EventEntity[];
  ip: string | null;
  userAgent: string | null;
  metadata: Metadata;
  idempotencyKey?: string | null;
};

export type AppendedEvent = { id: string; seq: number; hash: string };

import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { isWebhookSecret } from "./destinations/config";

/*
 * Signing per the Standard Webhooks spec (https://www.standardwebhooks.com):
 * webhook-signature is `v1,` + base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))
 * where key is the base64-decoded part of the `whsec_` secret. During a rotation
 * both secrets sign, and the signatures are separated by a space.
 */

export const WEBHOOK_SECRET_PREFIX = "whsec_";

export type WebhookSignatureHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString("base64");
}

/** The HMAC key of a `whsec_` secret (24 to 64 bytes of base64), or null when it is not one. */
export function webhookSecretKey(secret: string): Buffer | null {
  return isWebhookSecret(secret) ? Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), "base64") : null;
}

/** `v1,<base64 signature>` of one message with one secret; `timestamp` in whole seconds. */
export function signWebhook(secret: string, id: string, timestamp: number, body: Buffer | string): string {
  const key = webhookSecretKey(secret);
  if (!key) throw new Error(`not a Standard Webhooks secret (expected ${WEBHOOK_SECRET_PREFIX} and base64)`);
  const hmac = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body);
  return `v1,${hmac.digest("base64")}`;
}

/**
 * The three headers for a message, signed with every secret given (the new one
 * and the old one during a rotation; at least one).
 */
export function webhookSignatureHeaders(input: { id: string; timestamp: Date; body: Buffer | string; secrets: readonly string[] }): WebhookSignatureHeaders {
  if (input.secrets.length === 0) throw new Error("a webhook needs at least one signing secret");
  if (!/^[\x21-\x7e]+$/.test(input.id)) throw new Error("a webhook id is printable ASCII without spaces");
  const timestamp = Math.floor(input.timestamp.getTime() / 1000);
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": input.secrets.map((secret) => signWebhook(secret, input.id, timestamp, input.body)).join(" "),
  };
}

import { createHash, randomBytes } from "node:crypto";

// portal:write: portal links (lib/portal), for vendor-wide keys only. retention:write: an organization's retention (the WorkOS-compatible API sets it).
// orgs:write: organizations' aliases (lib/admin/organization-alias.ts), for vendor-wide keys only.
export const API_KEY_SCOPES = ["events:write", "events:read", "exports:write", "schemas:write", "portal:write", "retention:write", "orgs:write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Keys are high-entropy random strings, so one SHA-256 is a safe, fast lookup hash. */
export const hashApiKey = (secret: string): string => createHash("sha256").update(secret).digest("hex");

export const apiKeyPrefix = (secret: string): string => secret.slice(0, 12);

export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = `ot_${randomBytes(24).toString("base64url")}`;
  return { secret, prefix: apiKeyPrefix(secret), hash: hashApiKey(secret) };
}

import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { hashApiKey, type ApiKeyScope } from "./api-key-secret";

export type ApiKeyPrincipal = {
  kind: "api_key";
  keyId: string;
  name: string;
  organizationId: string | null;
  scopes: ApiKeyScope[];
};

const LAST_USED_INTERVAL_MS = 60_000;
const lastUsedWrites = new Map<string, number>();

/** `last_used_at` is written at most once a minute per key and process, never on the request's path. */
function touchLastUsed(keyId: string): void {
  const now = Date.now();
  if (now - (lastUsedWrites.get(keyId) ?? 0) < LAST_USED_INTERVAL_MS) return;
  lastUsedWrites.set(keyId, now);
  db()
    .update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(apiKeys.id, keyId))
    .catch(() => lastUsedWrites.delete(keyId));
}

/** The live (unrevoked) key for a secret, or null. Revocation applies at once: nothing is cached. */
export async function findApiKey(secret: string): Promise<ApiKeyPrincipal | null> {
  if (!secret || secret.length > 200) return null;
  const [key] = await db()
    .select({ id: apiKeys.id, name: apiKeys.name, organizationId: apiKeys.organizationId, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, hashApiKey(secret)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!key) return null;
  touchLastUsed(key.id);
  return { kind: "api_key", keyId: key.id, name: key.name, organizationId: key.organizationId, scopes: key.scopes as ApiKeyScope[] };
}

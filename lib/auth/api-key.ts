import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { db, sql } from "@/db/client";
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
// Bounds staleness should a notification ever be missed.
const CACHE_TTL_MS = 30_000;
type KeyCacheState = {
  lastUsedWrites: Map<string, number>;
  cache: Map<string, { key: ApiKeyPrincipal; at: number }>;
  listening: boolean;
  listenStarted: boolean;
};
// On globalThis: Next.js bundles route handlers and server actions apart, each with its own copy of
// this module; one cache per process lets a revoke in a console action (forgetApiKey) reach the API routes' lookups.
const globalForKeys = globalThis as unknown as { orgtrailApiKeys?: KeyCacheState };
const state = (globalForKeys.orgtrailApiKeys ??= { lastUsedWrites: new Map(), cache: new Map(), listening: false, listenStarted: false });
const { lastUsedWrites, cache } = state;

/**
 * Keys are cached per process only while this process listens for the
 * database's change notifications (migration 0003): a revoke, by any code path,
 * evicts the key everywhere within milliseconds. Until the listener is up, and
 * after it reconnects, every lookup goes to the database.
 */
function listenForChanges(): void {
  if (state.listenStarted) return;
  state.listenStarted = true;
  sql()
    .listen(
      "orgtrail_api_key_changed",
      (secretHash) => cache.delete(secretHash),
      () => {
        cache.clear();
        state.listening = true;
      },
    )
    .catch(() => {
      state.listenStarted = false;
    });
}

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

/**
 * Drops a key from this process's cache at once, after a revoke commits here: the
 * database's notification evicts it everywhere too, but arrives a moment later.
 */
export function forgetApiKey(keyId: string): void {
  for (const [secretHash, entry] of cache) if (entry.key.keyId === keyId) cache.delete(secretHash);
}

/** The live (unrevoked) key for a secret, or null. */
export async function findApiKey(secret: string): Promise<ApiKeyPrincipal | null> {
  if (!secret || secret.length > 200) return null;
  listenForChanges();
  const secretHash = hashApiKey(secret);
  const cached = cache.get(secretHash);
  if (state.listening && cached && Date.now() - cached.at < CACHE_TTL_MS) {
    touchLastUsed(cached.key.keyId);
    return cached.key;
  }
  const [row] = await db()
    .select({ id: apiKeys.id, name: apiKeys.name, organizationId: apiKeys.organizationId, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, secretHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  const key: ApiKeyPrincipal = { kind: "api_key", keyId: row.id, name: row.name, organizationId: row.organizationId, scopes: row.scopes as ApiKeyScope[] };
  if (state.listening) cache.set(secretHash, { key, at: Date.now() });
  if (cache.size > 10_000) cache.clear();
  touchLastUsed(key.keyId);
  return key;
}

/** The live (unrevoked) key with this id, or null: for links that act as the key that made them, only while it lives. */
export async function findLiveApiKeyById(id: string): Promise<ApiKeyPrincipal | null> {
  const [row] = await db()
    .select({ id: apiKeys.id, name: apiKeys.name, organizationId: apiKeys.organizationId, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ? { kind: "api_key", keyId: row.id, name: row.name, organizationId: row.organizationId, scopes: row.scopes as ApiKeyScope[] } : null;
}

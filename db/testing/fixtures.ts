import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { db, sql } from "@/db/client";
import { EXPORT_APPLICATION_NAME } from "@/db/copy-out";
import { apiKeys, memberships, organizations, users, type OrgRole } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { generateApiKey, type ApiKeyScope } from "@/lib/auth/api-key-secret";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import type { UserPrincipal } from "@/lib/auth/principal";
import { httpStatus } from "@/lib/api/error-response";

/** A fresh organization of its own for each test, so tests never see each other's events. */
export async function createOrg(prefix = "t"): Promise<{ id: string; slug: string }> {
  const slug = `${prefix}-${randomUUID().slice(0, 8)}`;
  const [org] = await db().insert(organizations).values({ slug, name: `Test ${slug}` }).returning({ id: organizations.id, slug: organizations.slug });
  return org!;
}

export async function createKey(organizationId: string | null, scopes: ApiKeyScope[] = ["events:write", "events:read"]): Promise<{ secret: string; principal: ApiKeyPrincipal }> {
  const key = generateApiKey();
  const [row] = await db().insert(apiKeys).values({ organizationId, name: "test key", prefix: key.prefix, secretHash: key.hash, scopes }).returning({ id: apiKeys.id });
  return { secret: key.secret, principal: { kind: "api_key", keyId: row!.id, name: "test key", organizationId, scopes } };
}

export async function createUser(organizationId: string | null, role: OrgRole | null, externalId: string | null = null): Promise<UserPrincipal> {
  const email = `u-${randomUUID().slice(0, 8)}@test.test`;
  const [user] = await db().insert(users).values({ email, name: "Test User", passwordHash: "x" }).returning({ id: users.id });
  if (organizationId && role) await db().insert(memberships).values({ organizationId, userId: user!.id, role, externalId });
  return { kind: "user", userId: user!.id, email, name: "Test User", platformRole: null };
}

export async function setPlatformRole(user: UserPrincipal, role: "vendor_admin" | "vendor_support"): Promise<UserPrincipal> {
  await db().update(users).set({ platformRole: role }).where(eq(users.id, user.userId));
  return { ...user, platformRole: role };
}

export function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    action: "test.happened",
    occurred_at: new Date(Date.now() - 1000).toISOString(),
    actor: { type: "user", id: "u_1", name: "Ada" },
    targets: [{ type: "document", id: "doc_1", name: "Plan" }],
    context: { location: "203.0.113.7", user_agent: "vitest" },
    metadata: { k: "v" },
    ...overrides,
  };
}

/** The HTTP status an AppError would give, or "ok" if the call succeeds. */
export async function apiStatus(promise: Promise<unknown>): Promise<number | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof AppError) return httpStatus(error);
    throw error;
  }
}

/** The export connections (db/copy-out.ts) open on this test database right now. */
export async function exportSessions(): Promise<{ pid: number; state: string }[]> {
  return sql()`select pid, state from pg_stat_activity where application_name = ${EXPORT_APPLICATION_NAME} and datname = current_database()`;
}

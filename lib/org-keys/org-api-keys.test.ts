import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { TEST_CONTEXT, countEvents, eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { resolveOrgScope } from "@/lib/access/scope";
import { AppError } from "@/lib/errors";
import { findApiKey } from "@/lib/auth/api-key";
import { hashApiKey } from "@/lib/auth/api-key-secret";
import { createOrgKey, listOrgKeys, revokeOrgKey } from "./org-api-keys";
import { httpStatus } from "@/lib/api/error-response";

async function apiStatus(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppError)) throw error ?? new Error("expected an AppError");
  return httpStatus(error);
}

async function orgWithAdmin() {
  const org = await createOrg();
  const admin = await createUser(org.id, "admin", "u_admin");
  return { org, admin, scope: await resolveOrgScope(admin, org.slug) };
}

describe("org-bound API keys", () => {
  it("a created key works for its org only, its secret is stored hashed, and orgtrail.api_key.created is recorded", async () => {
    const { org, admin, scope } = await orgWithAdmin();
    const key = await createOrgKey(scope, TEST_CONTEXT, { name: " CI deploy ", scopes: ["events:write", "events:read", "events:write"] });
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    const [row] = await sql()<{ secret_hash: string; organization_id: string; scopes: string[]; created_by: string }[]>`
      select secret_hash, organization_id, scopes, created_by from api_keys where id = ${key.id}`;
    expect(row).toEqual({ secret_hash: hashApiKey(key.secret), organization_id: org.id, scopes: ["events:write", "events:read"], created_by: admin.userId });
    expect(await findApiKey(key.secret)).toMatchObject({ organizationId: org.id, name: "CI deploy" });
    const listed = await listOrgKeys(scope);
    expect(listed.map((k) => [k.name, k.prefix, k.createdBy])).toEqual([["CI deploy", key.prefix, "Test User"]]);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    const events = await eventsOf(org.id, "orgtrail.api_key.created");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { type: "user", id: "u_admin", metadata: { email: admin.email } },
      targets: [{ type: "api_key", id: key.id, name: "CI deploy" }],
      metadata: { scopes: "events:write, events:read", prefix: key.prefix },
      user_agent: TEST_CONTEXT.userAgent,
    });
    expect(JSON.stringify(events)).not.toContain(key.secret);
  });

  it("a revoked key stops working at once and orgtrail.api_key.revoked is recorded once", async () => {
    const { org, scope } = await orgWithAdmin();
    const key = await createOrgKey(scope, TEST_CONTEXT, { name: "SIEM", scopes: ["events:read"] });
    await revokeOrgKey(scope, TEST_CONTEXT, { keyId: key.id });
    expect(await findApiKey(key.secret)).toBeNull();
    expect(await apiStatus(revokeOrgKey(scope, TEST_CONTEXT, { keyId: key.id }))).toBe(404);
    const events = await eventsOf(org.id, "orgtrail.api_key.revoked");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targets: [{ type: "api_key", id: key.id, name: "SIEM" }], metadata: { prefix: key.prefix } });
    expect((await listOrgKeys(scope))[0]!.revokedAt).toBeInstanceOf(Date);
  });

  it("another org's key cannot be revoked; bad names and scopes are refused", async () => {
    const { scope } = await orgWithAdmin();
    const other = await orgWithAdmin();
    const foreign = await createOrgKey(other.scope, TEST_CONTEXT, { name: "theirs", scopes: ["events:write"] });
    expect(await apiStatus(revokeOrgKey(scope, TEST_CONTEXT, { keyId: foreign.id }))).toBe(404);
    expect(await findApiKey(foreign.secret)).not.toBeNull();
    await expect(createOrgKey(scope, TEST_CONTEXT, { name: "x", scopes: ["schemas:write"] })).rejects.toThrow();
    await expect(createOrgKey(scope, TEST_CONTEXT, { name: "   ", scopes: ["events:read"] })).rejects.toThrow("is required");
    await expect(createOrgKey(scope, TEST_CONTEXT, { name: "x", scopes: [] })).rejects.toThrow("at least one scope");
    expect(await listOrgKeys(scope)).toEqual([]);
  });

  it("auditors and members get 403; a failed write records nothing and a failed event keeps no key", async () => {
    const { org, scope } = await orgWithAdmin();
    for (const role of ["auditor", "member"] as const) {
      const weak = await resolveOrgScope(await createUser(org.id, role, `u_${role}`), org.slug);
      expect(await apiStatus(listOrgKeys(weak))).toBe(403);
      expect(await apiStatus(createOrgKey(weak, TEST_CONTEXT, { name: "x", scopes: ["events:read"] }))).toBe(403);
    }
    const before = await countEvents(org.id);
    await expect(withFailingWrites("api_keys", "insert", org.id, () => createOrgKey(scope, TEST_CONTEXT, { name: "x", scopes: ["events:read"] }))).rejects.toThrow();
    expect(await countEvents(org.id)).toBe(before);
    await expect(withFailingWrites("audit_events", "insert", org.id, () => createOrgKey(scope, TEST_CONTEXT, { name: "x", scopes: ["events:read"] }))).rejects.toThrow();
    expect(await listOrgKeys(scope)).toEqual([]);
    const key = await createOrgKey(scope, TEST_CONTEXT, { name: "kept", scopes: ["events:read"] });
    await expect(withFailingWrites("audit_events", "insert", org.id, () => revokeOrgKey(scope, TEST_CONTEXT, { keyId: key.id }))).rejects.toThrow();
    expect(await findApiKey(key.secret)).not.toBeNull();
  });
});

import "server-only";
import { z } from "zod";
import { sql } from "@/db/client";
import { notFound } from "@/lib/errors";
import { requirePermission } from "@/lib/access/require-permission";
import type { Scope } from "@/lib/access/scope";
import { actorOf } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "@/lib/events/app-events";
import { generateApiKey, type ApiKeyScope } from "@/lib/auth/api-key-secret";
import { forgetApiKey } from "@/lib/auth/api-key";
import { isUuid } from "@/lib/uuid";

/** The scopes an organization's own key may hold; schema changes are the vendor's. */
export const ORG_KEY_SCOPES = ["events:write", "events:read", "exports:write"] as const satisfies readonly ApiKeyScope[];

export type OrgKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export const orgKeyInputSchema = z.object({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  scopes: z.array(z.enum(ORG_KEY_SCOPES, { error: `must be among ${ORG_KEY_SCOPES.join(", ")}` })).min(1, "choose at least one scope"),
});

/** The organization's keys, live ones first; never their secrets. */
export async function listOrgKeys(scope: Scope): Promise<OrgKeyRow[]> {
  requirePermission(scope, "keys.manage");
  const rows = await sql()<{ id: string; name: string; prefix: string; scopes: ApiKeyScope[]; created_by: string | null; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }[]>`
    select k.id, k.name, k.prefix, k.scopes, u.name as created_by, k.created_at, k.last_used_at, k.revoked_at
    from api_keys k left join users u on u.id = k.created_by
    where k.organization_id = ${scope.organization.id}
    order by k.revoked_at is not null, k.created_at desc`;
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, scopes: r.scopes, createdBy: r.created_by, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
}

/** Creates a key bound to the organization; the secret is returned here once and stored only as a hash. */
export async function createOrgKey(scope: Scope, context: RequestContext, input: { name: string; scopes: string[] }): Promise<{ id: string; name: string; prefix: string; secret: string }> {
  requirePermission(scope, "keys.manage");
  const { name, scopes } = orgKeyInputSchema.parse(input);
  const unique = [...new Set(scopes)];
  const key = generateApiKey();
  const createdBy = scope.principal.kind === "user" ? scope.principal.userId : null;
  return sql().begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into api_keys (organization_id, name, prefix, secret_hash, scopes, created_by)
      values (${scope.organization.id}, ${name}, ${key.prefix}, ${key.hash}, ${unique}::text[], ${createdBy})
      returning id`;
    await recordAppEvent(tx, scope.organization.id, {
      action: "orgtrail.api_key.created",
      actor: actorOf(scope),
      targets: [{ type: "api_key", id: row!.id, name }],
      metadata: { scopes: unique.join(", "), prefix: key.prefix },
      ...context,
    });
    return { id: row!.id, name, prefix: key.prefix, secret: key.secret };
  });
}

/** Revokes one of the organization's live keys; it stops working at once. */
export async function revokeOrgKey(scope: Scope, context: RequestContext, input: { keyId: string }): Promise<void> {
  requirePermission(scope, "keys.manage");
  if (!isUuid(input.keyId)) throw notFound("API key not found");
  await sql().begin(async (tx) => {
    const [key] = await tx<{ id: string; name: string; prefix: string }[]>`
      update api_keys set revoked_at = now()
      where organization_id = ${scope.organization.id} and id = ${input.keyId} and revoked_at is null
      returning id, name, prefix`;
    if (!key) throw notFound("API key not found");
    await recordAppEvent(tx, scope.organization.id, {
      action: "orgtrail.api_key.revoked",
      actor: actorOf(scope),
      targets: [{ type: "api_key", id: key.id, name: key.name }],
      metadata: { prefix: key.prefix },
      ...context,
    });
  });
  forgetApiKey(input.keyId);
}

import "server-only";
import { z } from "zod";
import { sql } from "@/db/client";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { AppError, notFound, zodIssues } from "@/lib/errors";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";
import { API_KEY_SCOPES, generateApiKey, type ApiKeyScope } from "@/lib/auth/api-key-secret";
import { forgetApiKey } from "@/lib/auth/api-key";
import { recordAppEvent } from "@/lib/events/app-events";
import type { VendorActor } from "@/lib/access/vendor-permissions";
import { isUuid } from "@/lib/uuid";

export type VendorKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};


export const createVendorKeyInput = z.strictObject({
  name: z.string({ error: "is required" }).trim().min(1, "is required").max(100, "must be at most 100 characters").refine(isStorableText, STORABLE_TEXT_MESSAGE),
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { error: `must be among ${API_KEY_SCOPES.join(", ")}` }))
    .min(1, "choose at least one scope")
    .transform((scopes) => API_KEY_SCOPES.filter((s) => scopes.includes(s))),
});

/** Vendor-wide keys (organization_id null), newest first; never their secrets. */
export async function listVendorKeys(): Promise<VendorKeyRow[]> {
  const rows = await sql()<{ id: string; name: string; prefix: string; scopes: ApiKeyScope[]; created_by: string | null; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }[]>`
    select k.id, k.name, k.prefix, k.scopes, u.name as created_by, k.created_at, k.last_used_at, k.revoked_at
    from api_keys k left join users u on u.id = k.created_by
    where k.organization_id is null
    order by k.revoked_at is not null, k.created_at desc`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

/** Creates a vendor-wide key. The secret is returned here once; only its hash is stored, and the event names only the prefix. */
export async function createVendorKey(actor: VendorActor, input: unknown): Promise<{ id: string; secret: string; prefix: string }> {
  const parsed = createVendorKeyInput.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "The form is not valid", zodIssues(parsed.error));
  const { name, scopes } = parsed.data;
  const key = generateApiKey();
  const id = await sql().begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into api_keys (organization_id, name, prefix, secret_hash, scopes, created_by)
      values (null, ${name}, ${key.prefix}, ${key.hash}, ${scopes}::text[], ${actor.userId}) returning id`;
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.api_key.created",
      actor: actor.entity,
      targets: [{ type: "api_key", id: row!.id, name }],
      metadata: { scopes: scopes.join(", "), prefix: key.prefix, vendor_wide: true },
    });
    return row!.id;
  });
  return { id, secret: key.secret, prefix: key.prefix };
}

/** Revokes a vendor-wide key: from the commit on, no request is accepted with it (findApiKey reads the database each time). */
export async function revokeVendorKey(actor: VendorActor, keyId: string): Promise<void> {
  if (!isUuid(keyId)) throw notFound("API key not found");
  await sql().begin(async (tx) => {
    const [key] = await tx<{ name: string; prefix: string; revoked_at: Date | null }[]>`
      select name, prefix, revoked_at from api_keys where id = ${keyId} and organization_id is null for update`;
    if (!key) throw notFound("API key not found");
    if (key.revoked_at) throw new AppError("validation_failed", `The key ${key.name} is already revoked`);
    await tx`update api_keys set revoked_at = now() where id = ${keyId}`;
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.api_key.revoked",
      actor: actor.entity,
      targets: [{ type: "api_key", id: keyId, name: key.name }],
      metadata: { prefix: key.prefix, vendor_wide: true },
    });
  });
  forgetApiKey(keyId);
}

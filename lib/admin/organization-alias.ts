import "server-only";
import { z } from "zod";
import { sql } from "@/db/client";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { findCustomerOrganization } from "@/lib/access/scope";
import { requireVendorPermission, type VendorActor } from "@/lib/access/vendor-permissions";
import type { Principal } from "@/lib/auth/principal";
import { AppError, conflict, notFound, zodIssues } from "@/lib/errors";
import { recordAppEvent } from "@/lib/events/app-events";
import { isOrganizationAlias, ORGANIZATION_ALIAS_MESSAGE } from "@/lib/organization-alias-format";
import { isUuid } from "@/lib/uuid";

/**
 * A customer organization's alias: the id it had in another audit-log service
 * (WorkOS's `org_…`), so a vendor moving over keeps sending it. Wherever an
 * organization is named (the API's `{org}`, ingest's organization_id, portal
 * links) the alias names it too (lib/access/scope.ts findOrganization).
 */

export const organizationAliasSchema = z
  .string({ error: "must be an org_… id, or null to clear it" })
  .refine(isOrganizationAlias, ORGANIZATION_ALIAS_MESSAGE);

/** The body of PATCH /api/v1/orgs/{org}. */
export const organizationPatchInput = z.strictObject({ alias: organizationAliasSchema.nullable() });

/** An organization as GET and PATCH /api/v1/orgs/{org} return it. */
export type OrganizationView = { id: string; slug: string; name: string; alias: string | null };

/**
 * Sets (or, with null, clears) a customer organization's alias. An alias names
 * one organization at most: one held by another is a conflict, checked under a
 * lock so two admins cannot give it to two organizations at once. The change
 * is recorded in the vendor log in the same transaction; setting the alias it
 * already has changes nothing.
 */
export async function setOrganizationAlias(actor: VendorActor, organizationId: string, alias: string | null): Promise<{ changed: boolean; organization: OrganizationView }> {
  const parsed = organizationAliasSchema.nullable().safeParse(alias);
  if (!parsed.success) throw new AppError("validation_failed", "The alias is not valid", zodIssues(parsed.error, ["alias"]));
  const next = parsed.data;
  if (!isUuid(organizationId)) throw notFound("Organization not found");
  return sql().begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('orgtrail:organization-alias'))`;
    const [org] = await tx<(OrganizationView & { kind: string })[]>`select id, slug, name, alias, kind from organizations where id = ${organizationId} for no key update`;
    if (!org) throw notFound("Organization not found");
    if (org.kind !== "customer") throw new AppError("validation_failed", "The vendor organization takes no alias", [{ path: "alias", message: "only a customer organization has one" }]);
    const view: OrganizationView = { id: org.id, slug: org.slug, name: org.name, alias: next };
    if (org.alias === next) return { changed: false, organization: view };
    if (next !== null) {
      const [holder] = await tx<{ name: string; slug: string }[]>`select name, slug from organizations where alias = ${next} and id <> ${organizationId}`;
      if (holder) throw conflict(`The alias ${next} is taken`, [{ path: "alias", message: `is already the alias of ${holder.name} (${holder.slug}); clear it there first` }]);
    }
    await tx`update organizations set alias = ${next} where id = ${organizationId}`;
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.organization.alias_changed",
      actor: actor.entity,
      targets: [{ type: "organization", id: org.id, name: org.name }],
      metadata: { organization: org.slug, ...(next !== null ? { alias: next } : {}), ...(org.alias !== null ? { previous_alias: org.alias } : {}) },
    });
    return { changed: true, organization: view };
  });
}

/**
 * The customer organization an API caller names by id, slug or alias, for
 * vendor admins and vendor-wide keys with orgs:write. Anyone else, a missing
 * organization and the vendor's own get 404.
 */
export async function organizationForVendor(principal: Principal, ref: string): Promise<{ actor: VendorActor; organization: OrganizationView }> {
  const actor = requireVendorPermission(principal, "orgs.manage");
  const found = await findCustomerOrganization(ref);
  const [organization] = await sql()<OrganizationView[]>`select id, slug, name, alias from organizations where id = ${found.id}`;
  return { actor, organization: organization! };
}

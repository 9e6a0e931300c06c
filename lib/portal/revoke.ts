import "server-only";
import { z } from "zod";
import { sql } from "@/db/client";
import { principalEntity } from "@/lib/access/actor";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { findCustomerOrganization } from "@/lib/access/scope";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import type { RequestContext } from "@/lib/auth/request-context";
import { notFound } from "@/lib/errors";
import { recordAppEvent } from "@/lib/events/app-events";
import { requiredText } from "./links";

export const revokeLinksInput = z.object({ organization_id: requiredText(256), user_id: requiredText(256) });

/**
 * Revokes the portal links made for one person of an organization (their
 * `user.id`, the membership's external id): unopened links stop working and the
 * sessions opened with any of them end at once. For when the vendor
 * deprovisions someone. A person with no links there is a 404.
 */
export async function revokePortalLinks(key: ApiKeyPrincipal, input: z.output<typeof revokeLinksInput>, context: RequestContext): Promise<{ links: number; sessions: number }> {
  const organization = await findCustomerOrganization(input.organization_id);
  return sql().begin(async (tx) => {
    const links = await tx<{ id: string; used_at: Date | null }[]>`
      update portal_links set expires_at = least(expires_at, now())
      where organization_id = ${organization.id} and user_external_id = ${input.user_id}
      returning id, used_at`;
    if (links.length === 0) throw notFound("No portal link was made for this user in this organization");
    const ended = await tx`
      update sessions set revoked_at = now()
      where organization_id = ${organization.id} and portal_link_id = any(${links.map((link) => link.id)}::uuid[]) and revoked_at is null
      returning id`;
    const counts = { links: links.filter((link) => link.used_at === null).length, sessions: ended.length };
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.portal_link.revoked",
      actor: principalEntity(key),
      targets: [
        { type: "organization", id: organization.id, name: organization.name },
        { type: "user", id: input.user_id },
      ],
      metadata: { organization: organization.slug, external_user_id: input.user_id, ...counts },
      ip: context.ip,
      userAgent: context.userAgent,
    });
    return counts;
  });
}

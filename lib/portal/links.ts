import "server-only";
import { z } from "zod";
import { sql } from "@/db/client";
import { PORTAL_INTENTS, PORTAL_ROLES } from "@/db/schema";
import { principalEntity } from "@/lib/access/actor";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { findCustomerOrganization } from "@/lib/access/scope";
import { hasVendorPermission } from "@/lib/access/vendor-permissions";
import type { Principal } from "@/lib/auth/principal";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import { appLink, generateOneTimeToken } from "@/lib/auth/one-time-link";
import type { RequestContext } from "@/lib/auth/request-context";
import { conflict, forbidden, invalid } from "@/lib/errors";
import { recordAppEvent } from "@/lib/events/app-events";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";
import { isOnOrigin } from "./origins";
import { portalPath } from "./intents";
import { readPortalSettings } from "./settings";

/** How long a portal link may wait to be followed. */
export const PORTAL_LINK_TTL_MINUTES = 5;

/** A required, trimmed text field of at most `max` characters that PostgreSQL can store. */
export const requiredText = (max: number) => z.string({ error: "is required" }).trim().min(1, "is required").max(max, `must be at most ${max} characters`).refine(isStorableText, STORABLE_TEXT_MESSAGE);

/** The body of POST /api/v1/portal-links. */
export const portalLinkInput = z.strictObject({
  organization_id: requiredText(256),
  user: z.strictObject({
    // The person's id in the vendor's product: their events' actor.id, so it becomes their membership's external_id.
    id: requiredText(256),
    email: z.email({ error: "must be an email address" }).max(320, "must be at most 320 characters").toLowerCase(),
    name: requiredText(200),
  }),
  role: z.enum(PORTAL_ROLES, { error: `must be one of ${PORTAL_ROLES.join(", ")}` }),
  intent: z.enum(PORTAL_INTENTS, { error: `must be one of ${PORTAL_INTENTS.join(", ")}` }),
  return_url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000, "must be at most 2,000 characters").optional(),
});
export type PortalLinkRequest = z.output<typeof portalLinkInput>;

export type PortalLink = { link: string; expires_at: string };

/** Only a vendor-wide key with `portal:write` makes portal links; a browser session never does, whoever is signed in. */
export function requirePortalLinkCaller(principal: Principal): ApiKeyPrincipal {
  if (principal.kind !== "api_key") throw forbidden("Portal links are made by your backend with a vendor API key that has the portal:write scope, not from a browser session");
  if (!hasVendorPermission(principal, "portal.links")) throw forbidden("This API key cannot make portal links: that needs a vendor-wide key with the portal:write scope");
  return principal;
}

/**
 * Makes a one-time link that signs `user` in to one customer organization
 * with `role` and opens the page of `intent` (lib/portal/follow.ts). The token
 * is returned here only, inside the link; the database keeps its SHA-256. The
 * link and its `orgtrail.portal_link.created` event (in the vendor log, without
 * the token) commit together. The input is already validated (portalLinkInput),
 * so other front doors (a WorkOS-compatible route) can map their own body to it.
 */
export async function createPortalLink(key: ApiKeyPrincipal, input: PortalLinkRequest, context: RequestContext): Promise<PortalLink> {
  const organization = await findCustomerOrganization(input.organization_id);
  if (input.return_url !== undefined) {
    const { returnOrigins } = await readPortalSettings();
    if (!isOnOrigin(input.return_url, returnOrigins)) {
      throw invalid("The return_url is not on an allowed return origin", [
        { path: "return_url", message: returnOrigins.length ? `must be on one of ${returnOrigins.join(", ")}` : "no return origins are allowed yet: add yours in the console's Portal page" },
      ]);
    }
  }
  const { token, hash } = generateOneTimeToken();
  const expiresAt = new Date(Date.now() + PORTAL_LINK_TTL_MINUTES * 60_000);
  const { user, role, intent } = input;
  await sql().begin(async (tx) => {
    // The external id names one member; a different person cannot take it over through a link.
    const [holder] = await tx<{ email: string }[]>`
      select u.email from memberships m join users u on u.id = m.user_id
      where m.organization_id = ${organization.id} and m.external_id = ${user.id}`;
    if (holder && holder.email !== user.email) throw conflict("The user id belongs to another member of this organization", [{ path: "user.id", message: "is another member's external id here" }]);
    const [link] = await tx<{ id: string }[]>`
      insert into portal_links (organization_id, token_hash, role, intent, user_external_id, user_email, user_name, return_url, created_by_key, expires_at)
      values (${organization.id}, ${hash}, ${role}, ${intent}, ${user.id}, ${user.email}, ${user.name}, ${input.return_url ?? null}, ${key.keyId}, ${expiresAt.toISOString()})
      returning id`;
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.portal_link.created",
      actor: principalEntity(key),
      targets: [
        { type: "organization", id: organization.id, name: organization.name },
        { type: "user", id: user.id, name: user.name, metadata: { email: user.email } },
      ],
      metadata: {
        link_id: link!.id,
        organization: organization.slug,
        role,
        intent,
        email: user.email,
        ...(input.return_url ? { return_url: input.return_url.slice(0, 500) } : {}),
        expires_at: expiresAt.toISOString(),
      },
      ip: context.ip,
      userAgent: context.userAgent,
    });
  });
  return { link: appLink(portalPath(token)), expires_at: expiresAt.toISOString() };
}

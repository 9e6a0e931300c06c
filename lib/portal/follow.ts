import "server-only";
import type { TransactionSql } from "postgres";
import { sql } from "@/db/client";
import type { OrgRole, PortalIntent, PortalRole } from "@/db/schema";
import { userEntity } from "@/lib/access/actor";
import { hashOneTimeToken, isOneTimeToken } from "@/lib/auth/one-time-link";
import type { RequestContext } from "@/lib/auth/request-context";
import { openPortalSession } from "@/lib/auth/sessions";
import { AppError, conflict, notFound } from "@/lib/errors";
import { recordAppEvent } from "@/lib/events/app-events";
import type { EventEntity } from "@/lib/events/types";
import { intentPath } from "./intents";
import { readPortalSettings } from "./settings";

export const UNKNOWN_LINK = "This portal link is not valid. Ask for a new one from the app you came from.";
export const USED_LINK = "This portal link was already used. Portal links work once: go back to the app you came from and open the portal again.";
export const EXPIRED_LINK = "This portal link has expired. Portal links work for a few minutes: go back to the app you came from and open the portal again.";

/** A followed link: the session it opened, where to go, and what the session cookie carries. */
export type PortalEntry = { sessionId: string; userId: string; expiresAt: Date; path: string; frameAncestors: string[]; sessionSeconds: number };

type SpentLink = { id: string; organization_id: string; role: PortalRole; intent: PortalIntent; user_external_id: string; user_email: string; user_name: string; created_by_key: string | null };

/**
 * Whether a link could be followed now, without spending it: what its page
 * shows before the browser posts it (app/portal/[token]). Throws as
 * followPortalLink does for an unknown, used or expired token.
 */
export async function checkPortalLink(token: string): Promise<void> {
  if (!isOneTimeToken(token)) throw notFound(UNKNOWN_LINK);
  const [link] = await sql()<{ used: boolean; live: boolean }[]>`
    select used_at is not null as used, expires_at > now() as live from portal_links where token_hash = ${hashOneTimeToken(token)}`;
  if (!link) throw notFound(UNKNOWN_LINK);
  if (link.used || !link.live) throw new AppError("gone", link.used ? USED_LINK : EXPIRED_LINK);
}

/**
 * Follows a portal link, once. In one transaction: the link is spent (the
 * update that sets used_at is the lock, so of two concurrent follows exactly one
 * gets past it), the user is found by email or created without a password, their
 * membership in the link's organization gets the link's role (an owner stays
 * owner) and external id, a session confined to that organization is opened,
 * and the sign-in (method portal_link) and membership changes are recorded in
 * the organization's log. Throws not_found for an unknown token and gone for a
 * used or expired one; a refusal spends nothing.
 */
export async function followPortalLink(token: string, context: RequestContext): Promise<PortalEntry> {
  if (!isOneTimeToken(token)) throw notFound(UNKNOWN_LINK);
  const hash = hashOneTimeToken(token);
  const settings = await readPortalSettings();
  return sql().begin(async (tx) => {
    const [link] = await tx<SpentLink[]>`
      update portal_links set used_at = now()
      where token_hash = ${hash} and used_at is null and expires_at > now()
      returning id, organization_id, role, intent, user_external_id, user_email, user_name, created_by_key`;
    if (!link) {
      const [seen] = await tx<{ used: boolean }[]>`select used_at is not null as used from portal_links where token_hash = ${hash}`;
      if (!seen) throw notFound(UNKNOWN_LINK);
      throw new AppError("gone", seen.used ? USED_LINK : EXPIRED_LINK);
    }
    const [org] = await tx<{ slug: string }[]>`select slug from organizations where id = ${link.organization_id}`;
    const [user] = await tx<{ id: string; email: string; name: string; created: boolean }[]>`
      insert into users (email, name) values (${link.user_email}, ${link.user_name})
      on conflict (email) do update set email = excluded.email
      returning id, email, name, (xmax = 0) as created`;
    const [holder] = await tx<{ user_id: string }[]>`
      select user_id from memberships where organization_id = ${link.organization_id} and external_id = ${link.user_external_id} and user_id <> ${user!.id}`;
    if (holder) throw conflict("The person this link names is another member of the organization there: ask for a new link");
    const [membership] = await tx<{ role: OrgRole; external_id: string | null }[]>`
      select role, external_id from memberships where organization_id = ${link.organization_id} and user_id = ${user!.id} for update`;
    const role: OrgRole = membership?.role === "owner" ? "owner" : link.role;
    await tx`
      insert into memberships (organization_id, user_id, role, external_id) values (${link.organization_id}, ${user!.id}, ${role}, ${link.user_external_id})
      on conflict (organization_id, user_id) do update set role = excluded.role, external_id = excluded.external_id`;

    const events = membershipEvents(link, user!, membership ?? null, role, await linkActor(tx, link.created_by_key));
    const session = await openPortalSession(tx, { userId: user!.id, organizationId: link.organization_id, portalLinkId: link.id, minutes: settings.sessionMinutes });
    events.push({ action: "orgtrail.user.signed_in", actor: userEntity(user!, link.user_external_id), metadata: { method: "portal_link", link_id: link.id } });
    for (const event of events) await recordAppEvent(tx, link.organization_id, { ...event, ip: context.ip, userAgent: context.userAgent });
    return {
      sessionId: session.id,
      userId: user!.id,
      expiresAt: session.expiresAt,
      path: intentPath(org!.slug, link.intent),
      frameAncestors: settings.frameOrigins,
      sessionSeconds: settings.sessionMinutes * 60,
    };
  });
}

type PendingEvent = Parameters<typeof recordAppEvent>[2];

/** The vendor key that made the link, as the actor of the membership changes it brings; Orgtrail itself once the key is gone. */
async function linkActor(tx: TransactionSql, keyId: string | null): Promise<EventEntity> {
  const [key] = keyId ? await tx<{ id: string; name: string }[]>`select id, name from api_keys where id = ${keyId}` : [];
  return key ? { type: "api_key", id: key.id, name: key.name } : { type: "system", id: "orgtrail.portal", name: "Portal link" };
}

/** What the link changed in the membership: joined, a new role, a new external id. */
function membershipEvents(
  link: SpentLink,
  user: { id: string; email: string; name: string; created: boolean },
  before: { role: OrgRole; external_id: string | null } | null,
  role: OrgRole,
  actor: EventEntity,
): PendingEvent[] {
  const target = userEntity(user, link.user_external_id);
  if (!before) return [{ action: "orgtrail.member.joined", actor, targets: [target], metadata: { role, new_account: user.created, method: "portal_link" } }];
  const events: PendingEvent[] = [];
  if (before.role !== role) events.push({ action: "orgtrail.member.role_changed", actor, targets: [target], metadata: { role_from: before.role, role_to: role } });
  if (before.external_id !== link.user_external_id) {
    events.push({ action: "orgtrail.member.external_id_changed", actor, targets: [target], metadata: { ...(before.external_id ? { external_id_from: before.external_id } : {}), external_id_to: link.user_external_id } });
  }
  return events;
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { memberships, organizations, type OrgRole } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { isStorableText } from "@/lib/storable-text";
import type { Principal } from "@/lib/auth/principal";
import { permissionsOfKeyScopes, permissionsOfRole, type Permission } from "./permissions";
import { activeSupportGrant } from "./support";
import { isUuid } from "@/lib/uuid";
import { isOrganizationAlias } from "@/lib/organization-alias-format";

declare const scopeBrand: unique symbol;

/** Orgtrail itself acting in an organization (a log stream reading what it sends), not a person or a key. */
export type SystemPrincipal = { kind: "system"; id: string; name: string };

export type ScopeOrganization = { id: string; slug: string; name: string; kind: "customer" | "vendor"; retentionDays: number };

/**
 * Who is asking, in which organization, and what they may do there. Built only
 * here, from a resolved session or API key: the brand keeps any other code from
 * making one up.
 */
export type Scope = Readonly<{
  organization: ScopeOrganization;
  principal: Principal | SystemPrincipal;
  role: OrgRole | null;
  permissions: ReadonlySet<Permission>;
  /** The id that marks a member's own events (actor or target): their external id, else their user id. */
  ownActorId: string | null;
}> & { readonly [scopeBrand]: true };


// Organizations are never deleted and their id, slug and kind never change, so API
// calls (the hot ingest path) may reuse a lookup briefly; pages always read afresh.
// An alias can move to another organization at any moment, so it is never cached.
const ORG_CACHE_MS = 10_000;
const orgCache = new Map<string, { org: ScopeOrganization; at: number }>();

async function findOrganizationCached(ref: string): Promise<ScopeOrganization | null> {
  if (isOrganizationAlias(ref)) return findOrganization(ref);
  const hit = orgCache.get(ref);
  if (hit && Date.now() - hit.at < ORG_CACHE_MS) return hit.org;
  const org = await findOrganization(ref);
  if (org) {
    if (orgCache.size > 10_000) orgCache.clear();
    orgCache.set(ref, { org, at: Date.now() });
  }
  return org;
}

/** An organization by its id, its slug or its alias (lib/organization-alias-format.ts). */
export async function findOrganization(ref: string): Promise<ScopeOrganization | null> {
  // No slug or id holds a NUL, and PostgreSQL text cannot carry one: such a reference names no organization.
  if (!ref || ref.length > 256 || !isStorableText(ref)) return null;
  const columns = { id: organizations.id, slug: organizations.slug, name: organizations.name, kind: organizations.kind, retentionDays: organizations.retentionDays };
  const where = isUuid(ref) ? eq(organizations.id, ref.toLowerCase()) : isOrganizationAlias(ref) ? eq(organizations.alias, ref) : eq(organizations.slug, ref);
  const [org] = await db().select(columns).from(organizations).where(where).limit(1);
  return org ?? null;
}

/** A customer organization by id, slug or alias; a missing one and the vendor's own are a 404. */
export async function findCustomerOrganization(ref: string): Promise<ScopeOrganization> {
  const organization = await findOrganization(ref);
  if (!organization || organization.kind !== "customer") throw notFound("Organization not found");
  return organization;
}

function build(organization: ScopeOrganization, principal: Principal | SystemPrincipal, role: OrgRole | null, permissions: Set<Permission>, ownActorId: string | null): Scope {
  return { organization, principal, role, permissions, ownActorId } as unknown as Scope;
}

/**
 * The caller's scope in an organization. A caller with no standing there gets
 * 404, exactly as if the organization did not exist.
 */
export async function resolveOrgScope(principal: Principal, orgRef: string): Promise<Scope> {
  const organization = principal.kind === "api_key" ? await findOrganizationCached(orgRef) : await findOrganization(orgRef);
  if (!organization) throw notFound("Organization not found");

  if (principal.kind === "api_key") {
    if (principal.organizationId !== null && principal.organizationId !== organization.id) throw notFound("Organization not found");
    if (organization.kind === "vendor") throw notFound("Organization not found");
    return build(organization, principal, null, permissionsOfKeyScopes(principal.scopes), null);
  }

  // A portal session reaches its one organization only.
  if (principal.portal && principal.portal.organizationId !== organization.id) throw notFound("Organization not found");

  const [membership] = await db()
    .select({ role: memberships.role, externalId: memberships.externalId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organization.id), eq(memberships.userId, principal.userId)))
    .limit(1);
  if (membership) {
    return build(organization, principal, membership.role, permissionsOfRole(membership.role), membership.externalId ?? principal.userId);
  }
  if (principal.platformRole === "vendor_admin") {
    const permissions = permissionsOfRole("vendor_admin");
    // The vendor's own log is the one log vendor admins read.
    if (organization.kind === "vendor") permissions.add("events.read.all");
    return build(organization, principal, null, permissions, null);
  }
  if (principal.platformRole === "vendor_support") {
    const permissions = permissionsOfRole("vendor_support");
    // Staff read the vendor's own log; a customer's log only read-only, while a support grant (with its reason) is live.
    if (organization.kind === "vendor" || (await activeSupportGrant(principal.userId, organization.id))) permissions.add("events.read.all");
    return build(organization, principal, null, permissions, null);
  }
  throw notFound("Organization not found");
}

/** Log-stream delivery as a caller: its reads, and the events it records on its own (a pause on refusal, the failing report). */
export const LOG_STREAM_PRINCIPAL: SystemPrincipal = { kind: "system", id: "orgtrail.log_streams", name: "Log stream delivery" };

/**
 * The scope a log stream reads its organization's events in: what the
 * organization's owners see, no more (ROLE_PERMISSIONS.owner's read), and
 * nothing of any other organization.
 */
export async function streamReaderScope(organizationId: string): Promise<Scope> {
  const organization = await findOrganizationCached(organizationId);
  if (!organization || organization.kind !== "customer") throw notFound("Organization not found");
  const permissions = new Set([...permissionsOfRole("owner")].filter((permission) => permission === "events.read.all"));
  return build(organization, LOG_STREAM_PRINCIPAL, null, permissions, null);
}

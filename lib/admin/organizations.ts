import "server-only";
import { z } from "zod";
import { sql } from "@/db/client";
import type { OrgRole } from "@/db/schema";
import { generateInviteToken, INVITE_TTL_DAYS, invitePath } from "@/lib/members/invite-token";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { AppError, notFound, zodIssues } from "@/lib/errors";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";
import { recordAppEvent } from "@/lib/events/app-events";
import type { VendorActor } from "@/lib/access/vendor-permissions";
import { isUuid } from "@/lib/uuid";

export type OrganizationRow = {
  id: string;
  slug: string;
  name: string;
  kind: "customer" | "vendor";
  /** The id this organization had in WorkOS (`org_…`), which names it too (lib/admin/organization-alias.ts). */
  alias: string | null;
  /** Events ever appended to the log (the chain head's seq): retention purges do not lower it. */
  eventsIngested: number;
  lastEventAt: string | null;
  members: number;
  owners: number;
  pendingInvites: number;
  /** Single sign-on: people whose verified email is at one of these domains join with ssoDefaultRole (lib/admin/organization-sso.ts). */
  ssoDomains: string[];
  ssoDefaultRole: OrgRole;
  createdAt: string;
};


const slugSchema = z
  .string({ error: "is required" })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be 1 to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit")
  .refine((s) => !isUuid(s), "must not look like an organization id");
const nameSchema = z.string({ error: "is required" }).trim().min(1, "is required").max(200, "must be at most 200 characters").refine(isStorableText, STORABLE_TEXT_MESSAGE);

export const createOrganizationInput = z.strictObject({ slug: slugSchema, name: nameSchema });
export const renameOrganizationInput = z.strictObject({ name: nameSchema });
export const inviteOwnerInput = z.strictObject({ email: z.string().trim().toLowerCase().max(320).pipe(z.email("must be an email address")) });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "The form is not valid", zodIssues(parsed.error));
  }
  return parsed.data;
}

export async function listOrganizations(): Promise<OrganizationRow[]> {
  const rows = await sql()<{ id: string; slug: string; name: string; kind: "customer" | "vendor"; alias: string | null; chain_seq: string; last_event_at: Date | null; members: string; owners: string; pending_invites: string; sso_domains: string[]; sso_default_role: OrgRole; created_at: Date }[]>`
    select o.id, o.slug, o.name, o.kind, o.alias, coalesce(c.chain_seq, 0) as chain_seq, c.last_event_at, o.sso_domains, o.sso_default_role, o.created_at,
      (select count(*) from memberships m where m.organization_id = o.id) as members,
      (select count(*) from memberships m where m.organization_id = o.id and m.role = 'owner') as owners,
      (select count(*) from invites i where i.organization_id = o.id and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()) as pending_invites
    from organizations o left join event_chains c on c.organization_id = o.id
    order by o.kind = 'vendor', o.name`;
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    kind: r.kind,
    alias: r.alias,
    eventsIngested: Number(r.chain_seq),
    lastEventAt: r.last_event_at?.toISOString() ?? null,
    members: Number(r.members),
    owners: Number(r.owners),
    pendingInvites: Number(r.pending_invites),
    ssoDomains: r.sso_domains,
    ssoDefaultRole: r.sso_default_role,
    createdAt: r.created_at.toISOString(),
  }));
}

/** Creates a customer organization, recorded in the vendor log in the same transaction. */
export async function createOrganization(actor: VendorActor, input: unknown): Promise<{ id: string; slug: string; name: string }> {
  const { slug, name } = parse(createOrganizationInput, input);
  return sql().begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`insert into organizations (slug, name, kind) values (${slug}, ${name}, 'customer') on conflict (slug) do nothing returning id`;
    if (!row) throw new AppError("conflict", `The slug ${slug} is taken`, [{ path: "slug", message: "is already used by another organization" }]);
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.organization.created",
      actor: actor.entity,
      targets: [{ type: "organization", id: row.id, name }],
      metadata: { slug },
    });
    return { id: row.id, slug, name };
  });
}

/** Renames an organization (its slug, used in links and the API, stays). Renaming to the same name changes nothing. */
export async function renameOrganization(actor: VendorActor, organizationId: string, input: unknown): Promise<{ changed: boolean }> {
  const { name } = parse(renameOrganizationInput, input);
  if (!isUuid(organizationId)) throw notFound("Organization not found");
  return sql().begin(async (tx) => {
    const [current] = await tx<{ name: string; slug: string }[]>`select name, slug from organizations where id = ${organizationId} for no key update`;
    if (!current) throw notFound("Organization not found");
    if (current.name === name) return { changed: false };
    await tx`update organizations set name = ${name} where id = ${organizationId}`;
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.organization.renamed",
      actor: actor.entity,
      targets: [{ type: "organization", id: organizationId, name }],
      metadata: { slug: current.slug, name_from: current.name, name_to: name },
    });
    return { changed: true };
  });
}

/**
 * Invites the first owner of a customer organization that has none. The token
 * is returned once (only its hash is stored); the invite is recorded in the
 * organization's own log and in the vendor log, in the same transaction.
 */
export async function inviteFirstOwner(actor: VendorActor, organizationId: string, input: unknown): Promise<{ inviteId: string; path: string; expiresAt: string }> {
  const { email } = parse(inviteOwnerInput, input);
  if (!isUuid(organizationId)) throw notFound("Organization not found");
  const { token, hash } = generateInviteToken();
  const expiresAt = new Date(Date.now() + INVITE_TTL_DAYS * 86_400_000);
  const inviteId = await sql().begin(async (tx) => {
    const [org] = await tx<{ kind: string; name: string; slug: string }[]>`select kind, name, slug from organizations where id = ${organizationId} for no key update`;
    if (!org) throw notFound("Organization not found");
    if (org.kind !== "customer") throw new AppError("validation_failed", "The vendor organization has no owners to invite");
    const [owner] = await tx`select 1 from memberships where organization_id = ${organizationId} and role = 'owner' limit 1`;
    if (owner) throw new AppError("validation_failed", `${org.name} already has an owner, who invites members from the organization's settings`);
    const [invite] = await tx<{ id: string }[]>`
      insert into invites (organization_id, email, role, token_hash, invited_by, expires_at)
      values (${organizationId}, ${email}, 'owner', ${hash}, ${actor.userId}, ${expiresAt.toISOString()})
      returning id`;
    const target = { type: "invite", id: invite!.id, name: email };
    await recordAppEvent(tx, organizationId, {
      action: "orgtrail.member.invited",
      actor: actor.entity,
      targets: [target],
      metadata: { email, role: "owner", expires_at: expiresAt.toISOString() },
    });
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.organization.owner_invited",
      actor: actor.entity,
      targets: [{ type: "organization", id: organizationId, name: org.name }, target],
      metadata: { email, slug: org.slug },
    });
    return invite!.id;
  });
  return { inviteId, path: invitePath(token), expiresAt: expiresAt.toISOString() };
}

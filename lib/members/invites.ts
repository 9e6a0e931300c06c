import "server-only";
import type { TransactionSql } from "postgres";
import { z } from "zod";
import { sql } from "@/db/client";
import type { OrgRole } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { isStorableText, STORABLE_TEXT_MESSAGE } from "@/lib/storable-text";
import { requirePermission } from "@/lib/access/require-permission";
import { hashPassword, newPasswordSchema } from "@/lib/auth/password";
import { actorOf, userEntity } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "@/lib/events/app-events";
import { INVITE_TTL_DAYS, generateInviteToken, hashInviteToken, invitePath, isInviteToken } from "./invite-token";
import { externalIdSchema, isUniqueViolation, roleSchema } from "./members";
import type { Scope } from "@/lib/access/scope";
import { isUuid } from "@/lib/uuid";

export type PendingInvite = { id: string; email: string; role: OrgRole; externalId: string | null; invitedBy: string | null; createdAt: Date; expiresAt: Date };

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("must be an email address").max(320));

const conflict = (message: string) => new AppError("conflict", message);

export async function listPendingInvites(scope: Scope): Promise<PendingInvite[]> {
  requirePermission(scope, "members.manage");
  const rows = await sql()<{ id: string; email: string; role: OrgRole; external_id: string | null; invited_by: string | null; created_at: Date; expires_at: Date }[]>`
    select i.id, i.email, i.role, i.external_id, u.name as invited_by, i.created_at, i.expires_at
    from invites i left join users u on u.id = i.invited_by
    where i.organization_id = ${scope.organization.id} and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
    order by i.created_at desc`;
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, externalId: r.external_id, invitedBy: r.invited_by, createdAt: r.created_at, expiresAt: r.expires_at }));
}

/**
 * Inserts an invite inside the caller's transaction, replacing any pending
 * invite for the same email, and returns its one-time link. The token itself is
 * never stored, only its hash.
 */
export async function insertInvite(
  tx: TransactionSql,
  organizationId: string,
  invite: { email: string; role: OrgRole; externalId: string | null; invitedBy: string | null },
): Promise<{ id: string; token: string; path: string; expiresAt: Date }> {
  const { token, hash } = generateInviteToken();
  const expiresAt = new Date(Date.now() + INVITE_TTL_DAYS * 86_400_000);
  await tx`update invites set revoked_at = now()
    where organization_id = ${organizationId} and email = ${invite.email} and accepted_at is null and revoked_at is null`;
  const [row] = await tx<{ id: string }[]>`
    insert into invites (organization_id, email, role, external_id, token_hash, invited_by, expires_at)
    values (${organizationId}, ${invite.email}, ${invite.role}, ${invite.externalId}, ${hash}, ${invite.invitedBy}, ${expiresAt.toISOString()})
    returning id`;
  return { id: row!.id, token, path: invitePath(token), expiresAt };
}

export const inviteInputSchema = z.object({
  email: emailSchema,
  role: roleSchema,
  externalId: externalIdSchema.optional().prefault(""),
});

export async function createInvite(scope: Scope, context: RequestContext, input: { email: string; role: string; externalId?: string }) {
  requirePermission(scope, "members.manage");
  const parsed = inviteInputSchema.parse(input);
  const { email, role } = parsed;
  const externalId = parsed.externalId ?? null;
  if (role === "owner" && scope.role !== "owner") throw new AppError("forbidden", "Only an owner can invite an owner");
  const organizationId = scope.organization.id;
  return sql().begin(async (tx) => {
    await tx`select id from organizations where id = ${organizationId} for no key update`;
    const [member] = await tx`select 1 from memberships m join users u on u.id = m.user_id where m.organization_id = ${organizationId} and u.email = ${email}`;
    if (member) throw conflict(`${email} is already a member of this organization`);
    if (externalId) {
      const [taken] = await tx`
        select 1 from memberships where organization_id = ${organizationId} and external_id = ${externalId}
        union all
        select 1 from invites where organization_id = ${organizationId} and external_id = ${externalId} and email <> ${email}
          and accepted_at is null and revoked_at is null and expires_at > now()`;
      if (taken) throw conflict(`The external id "${externalId}" already belongs to another member or pending invite`);
    }
    const invite = await insertInvite(tx, organizationId, { email, role, externalId, invitedBy: scope.principal.kind === "user" ? scope.principal.userId : null });
    const targets = [{ type: "invite", id: invite.id, name: email, metadata: { email } }];
    if (externalId) targets.push({ type: "user", id: externalId, name: email, metadata: { email } });
    await recordAppEvent(tx, organizationId, {
      action: "orgtrail.member.invited",
      actor: actorOf(scope),
      targets,
      metadata: { email, role, ...(externalId ? { external_id: externalId } : {}), expires_at: invite.expiresAt.toISOString() },
      ...context,
    });
    return invite;
  });
}

export async function revokeInvite(scope: Scope, context: RequestContext, input: { inviteId: string }): Promise<void> {
  requirePermission(scope, "members.manage");
  if (!isUuid(input.inviteId)) throw notFound("Invite not found");
  await sql().begin(async (tx) => {
    const [invite] = await tx<{ id: string; email: string; role: OrgRole }[]>`
      update invites set revoked_at = now()
      where organization_id = ${scope.organization.id} and id = ${input.inviteId} and accepted_at is null and revoked_at is null
      returning id, email, role`;
    if (!invite) throw notFound("Invite not found");
    await recordAppEvent(tx, scope.organization.id, {
      action: "orgtrail.member.invite_revoked",
      actor: actorOf(scope),
      targets: [{ type: "invite", id: invite.id, name: invite.email, metadata: { email: invite.email } }],
      metadata: { email: invite.email, role: invite.role },
      ...context,
    });
  });
}

export type InviteState = "valid" | "expired" | "revoked" | "accepted";

export type InviteDescription = {
  state: InviteState;
  email: string;
  role: OrgRole;
  organization: { slug: string; name: string };
  invitedBy: string | null;
  expiresAt: Date;
  accountExists: boolean;
};

/** What an invite link leads to, for the page that accepts it; null for an unknown token. */
export async function describeInvite(token: string): Promise<InviteDescription | null> {
  if (!isInviteToken(token)) return null;
  const [row] = await sql()<{ email: string; role: OrgRole; slug: string; name: string; invited_by: string | null; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null; account: boolean }[]>`
    select i.email, i.role, o.slug, o.name, u.name as invited_by, i.expires_at, i.accepted_at, i.revoked_at,
      exists (select 1 from users a where a.email = i.email) as account
    from invites i join organizations o on o.id = i.organization_id left join users u on u.id = i.invited_by
    where i.token_hash = ${hashInviteToken(token)}`;
  if (!row) return null;
  const state: InviteState = row.accepted_at ? "accepted" : row.revoked_at ? "revoked" : row.expires_at <= new Date() ? "expired" : "valid";
  return { state, email: row.email, role: row.role, organization: { slug: row.slug, name: row.name }, invitedBy: row.invited_by, expiresAt: row.expires_at, accountExists: row.account };
}

type Joiner = { kind: "existing"; userId: string } | { kind: "new"; name: string; password: string };

const newAccountSchema = z.object({ name: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters").refine(isStorableText, STORABLE_TEXT_MESSAGE), password: newPasswordSchema });

/**
 * Accepts an invite: as the signed-in user whose email it was sent to, or by
 * creating the account with a password. Membership, the invite's state and the
 * `orgtrail.member.joined` event commit together.
 */
export async function acceptInvite(token: string, joiner: Joiner, context: RequestContext): Promise<{ organizationSlug: string; email: string }> {
  if (!isInviteToken(token)) throw notFound("This invite link is not valid");
  const account = joiner.kind === "new" ? newAccountSchema.parse(joiner) : null;
  const passwordHash = account ? await hashPassword(account.password) : null;
  try {
    return await sql().begin(async (tx) => {
      const [invite] = await tx<{ organization_id: string; id: string; email: string; role: OrgRole; external_id: string | null; slug: string; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null }[]>`
        select i.organization_id, i.id, i.email, i.role, i.external_id, o.slug, i.expires_at, i.accepted_at, i.revoked_at
        from invites i join organizations o on o.id = i.organization_id
        where i.token_hash = ${hashInviteToken(token)}
        for update of i`;
      if (!invite) throw notFound("This invite link is not valid");
      if (invite.accepted_at) throw conflict("This invite has already been accepted");
      if (invite.revoked_at) throw new AppError("gone", "This invite was revoked: ask for a new one");
      if (invite.expires_at <= new Date()) throw new AppError("gone", "This invite has expired: ask for a new one");

      let user: { id: string; name: string; email: string };
      if (joiner.kind === "existing") {
        const [found] = await tx<{ id: string; name: string; email: string }[]>`select id, name, email from users where id = ${joiner.userId}`;
        if (!found) throw notFound("Your account was not found");
        if (found.email !== invite.email) throw new AppError("forbidden", `This invite is for ${invite.email}; you are signed in as ${found.email}`);
        user = found;
      } else {
        const [created] = await tx<{ id: string; name: string; email: string }[]>`
          insert into users (email, name, password_hash) values (${invite.email}, ${account!.name}, ${passwordHash!})
          on conflict (email) do nothing returning id, name, email`;
        if (!created) throw conflict(`An account for ${invite.email} already exists: sign in to accept`);
        user = created;
      }
      const inserted = await tx`
        insert into memberships (organization_id, user_id, role, external_id)
        values (${invite.organization_id}, ${user.id}, ${invite.role}, ${invite.external_id})
        on conflict (organization_id, user_id) do nothing returning user_id`;
      if (inserted.length === 0) throw conflict("You are already a member of this organization");
      await tx`update invites set accepted_at = now() where organization_id = ${invite.organization_id} and id = ${invite.id}`;
      const member = userEntity(user, invite.external_id);
      await recordAppEvent(tx, invite.organization_id, {
        action: "orgtrail.member.joined",
        actor: member,
        targets: [member, { type: "invite", id: invite.id, name: invite.email, metadata: { email: invite.email } }],
        metadata: { role: invite.role, new_account: joiner.kind === "new" },
        ...context,
      });
      return { organizationSlug: invite.slug, email: user.email };
    });
  } catch (error) {
    if (isUniqueViolation(error, "memberships_org_external_id")) {
      throw conflict("The external id on this invite now belongs to another member: ask an admin for a new invite");
    }
    throw error;
  }
}

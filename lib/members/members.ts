import "server-only";
import type { TransactionSql } from "postgres";
import { z } from "zod";
import { sql } from "@/db/client";
import { ORG_ROLES, type OrgRole } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";
import { requirePermission } from "@/lib/access/require-permission";
import { actorOf, userEntity } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "@/lib/events/app-events";
import type { Scope } from "@/lib/access/scope";
import { isUuid } from "@/lib/uuid";

export type MemberRow = { userId: string; email: string; name: string; role: OrgRole; externalId: string | null; joinedAt: Date };

export const roleSchema = z.enum(ORG_ROLES, { error: "must be one of owner, admin, auditor, member" });

export const externalIdSchema = z
  .string()
  .trim()
  .max(256, "must be at most 256 characters")
  .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters")
  .transform((value) => (value === "" ? null : value));

const conflict = (message: string) => new AppError("conflict", message);

/** Whether a PostgreSQL error is this unique constraint's violation. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint_name?: string } | null;
  return e?.code === "23505" && e.constraint_name === constraint;
}

export async function listMembers(scope: Scope): Promise<MemberRow[]> {
  requirePermission(scope, "members.manage");
  const rows = await sql()<{ user_id: string; email: string; name: string; role: OrgRole; external_id: string | null; created_at: Date }[]>`
    select m.user_id, u.email, u.name, m.role, m.external_id, m.created_at
    from memberships m join users u on u.id = m.user_id
    where m.organization_id = ${scope.organization.id}
    order by array_position(${[...ORG_ROLES]}::text[], m.role), lower(u.name), u.email`;
  return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, role: r.role, externalId: r.external_id, joinedAt: r.created_at }));
}

type LockedMember = { user_id: string; email: string; name: string; role: OrgRole; external_id: string | null };

/**
 * Locks the organization row, then reads the member. Every membership change of
 * an organization takes this lock first, so the last-owner check cannot race
 * with another change (appending the event takes the same row anyway).
 */
async function lockMember(tx: TransactionSql, organizationId: string, userId: string): Promise<LockedMember> {
  await tx`select id from organizations where id = ${organizationId} for no key update`;
  if (!isUuid(userId)) throw notFound("Member not found");
  const [member] = await tx<LockedMember[]>`
    select m.user_id, u.email, u.name, m.role, m.external_id
    from memberships m join users u on u.id = m.user_id
    where m.organization_id = ${organizationId} and m.user_id = ${userId}`;
  if (!member) throw notFound("Member not found");
  return member;
}

async function ownerCount(tx: TransactionSql, organizationId: string): Promise<number> {
  const [{ n }] = await tx<{ n: string }[]>`select count(*) as n from memberships where organization_id = ${organizationId} and role = 'owner'`;
  return Number(n);
}

/** Only an owner may make someone an owner or change or remove an owner. */
function requireOwnerFor(scope: Scope, touchesOwner: boolean, what: string): void {
  if (touchesOwner && scope.role !== "owner") throw new AppError("forbidden", `Only an owner can ${what}`);
}

const memberEntity = (m: LockedMember, externalId = m.external_id) => userEntity({ id: m.user_id, name: m.name, email: m.email }, externalId);

export async function changeMemberRole(scope: Scope, context: RequestContext, input: { userId: string; role: string }): Promise<void> {
  requirePermission(scope, "members.manage");
  const role = roleSchema.parse(input.role);
  await sql().begin(async (tx) => {
    const member = await lockMember(tx, scope.organization.id, input.userId);
    if (member.role === role) return;
    requireOwnerFor(scope, member.role === "owner" || role === "owner", "grant or change the owner role");
    if (member.role === "owner" && (await ownerCount(tx, scope.organization.id)) <= 1) {
      throw conflict(`${member.name} is the last owner: make another member an owner first`);
    }
    await tx`update memberships set role = ${role} where organization_id = ${scope.organization.id} and user_id = ${member.user_id}`;
    await recordAppEvent(tx, scope.organization.id, {
      action: "orgtrail.member.role_changed",
      actor: actorOf(scope),
      targets: [memberEntity(member)],
      metadata: { role_from: member.role, role_to: role },
      ...context,
    });
  });
}

export async function removeMember(scope: Scope, context: RequestContext, input: { userId: string }): Promise<void> {
  requirePermission(scope, "members.manage");
  await sql().begin(async (tx) => {
    const member = await lockMember(tx, scope.organization.id, input.userId);
    requireOwnerFor(scope, member.role === "owner", "remove an owner");
    if (member.role === "owner" && (await ownerCount(tx, scope.organization.id)) <= 1) {
      throw conflict(`${member.name} is the last owner and cannot be removed`);
    }
    await tx`delete from memberships where organization_id = ${scope.organization.id} and user_id = ${member.user_id}`;
    await recordAppEvent(tx, scope.organization.id, {
      action: "orgtrail.member.removed",
      actor: actorOf(scope),
      targets: [memberEntity(member)],
      metadata: { role: member.role },
      ...context,
    });
  });
}

export async function setMemberExternalId(scope: Scope, context: RequestContext, input: { userId: string; externalId: string }): Promise<void> {
  requirePermission(scope, "members.manage");
  const externalId = externalIdSchema.parse(input.externalId);
  try {
    await sql().begin(async (tx) => {
      const member = await lockMember(tx, scope.organization.id, input.userId);
      if (member.external_id === externalId) return;
      await tx`update memberships set external_id = ${externalId} where organization_id = ${scope.organization.id} and user_id = ${member.user_id}`;
      await recordAppEvent(tx, scope.organization.id, {
        action: "orgtrail.member.external_id_changed",
        actor: actorOf(scope),
        targets: [memberEntity(member, externalId)],
        metadata: {
          ...(member.external_id ? { external_id_from: member.external_id } : {}),
          ...(externalId ? { external_id_to: externalId } : {}),
        },
        ...context,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error, "memberships_org_external_id")) throw conflict(`The external id "${externalId}" already belongs to another member of this organization`);
    throw error;
  }
}

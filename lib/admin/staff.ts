import "server-only";
import type postgres from "postgres";
import type { TransactionSql } from "postgres";
import { z } from "zod";
import { sql } from "@/db/client";
import { PLATFORM_ROLES, type PlatformRole } from "@/db/schema";
import { emailSchema } from "@/lib/members/invites";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { AppError, notFound, type ErrorIssue, zodIssues } from "@/lib/errors";
import { issueSetPasswordToken } from "@/lib/auth/user-tokens";
import { recordAppEvent } from "@/lib/events/app-events";
import { staffNameSchema } from "./first-run";
import { staffRoleLabel } from "./staff-roles";
import type { VendorActor } from "@/lib/access/vendor-permissions";
import { isUuid } from "@/lib/uuid";
import { userEntity } from "@/lib/access/actor";

export type StaffMember = {
  id: string;
  email: string;
  name: string;
  role: PlatformRole;
  createdAt: string;
  /** When their latest session began; null if they never signed in. */
  lastSignInAt: string | null;
  /** Invited, and has neither set a password nor signed in: a new set-password link may be made for them. */
  pending: boolean;
};

export type SetPasswordLink = { url: string; expiresAt: string };

const staffRoleSchema = z.enum(PLATFORM_ROLES, { error: "must be vendor_admin or vendor_support" });

export const inviteStaffInput = z.strictObject({
  email: emailSchema,
  name: staffNameSchema,
  role: staffRoleSchema,
  /** Giving a staff role to an account that already belongs to customer organizations needs this said out loud. */
  confirmExistingAccount: z.boolean().optional(),
});
export const changeStaffRoleInput = z.strictObject({ role: staffRoleSchema });


const conflict = (message: string, issues?: ErrorIssue[]) => new AppError("conflict", message, issues);

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("validation_failed", "The form is not valid", zodIssues(parsed.error));
  }
  return parsed.data;
}

// A pending account: no password, never signed in, in no organization. Only such an
// account may get a set-password link from an admin: a link for any other account
// would let the admin take it over (and read a customer's log as that person).
// (A fragment of a query on `users u`.)
const pendingAccount = (q: postgres.Sql | TransactionSql) => q`(u.password_hash is null
  and not exists (select 1 from sessions s where s.user_id = u.id)
  and not exists (select 1 from memberships m where m.user_id = u.id))`;

export async function listStaff(): Promise<StaffMember[]> {
  const rows = await sql()<{ id: string; email: string; name: string; platform_role: PlatformRole; created_at: Date; last_sign_in_at: Date | null; pending: boolean }[]>`
    select u.id, u.email, u.name, u.platform_role, u.created_at,
      (select max(s.created_at) from sessions s where s.user_id = u.id) as last_sign_in_at,
      ${pendingAccount(sql())} as pending
    from users u
    where u.platform_role is not null
    order by array_position(${[...PLATFORM_ROLES]}::text[], u.platform_role), lower(u.name), u.email`;
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.platform_role,
    createdAt: r.created_at.toISOString(),
    lastSignInAt: r.last_sign_in_at?.toISOString() ?? null,
    pending: r.pending,
  }));
}

/**
 * Every change to who is vendor staff takes this lock first, so checks such as
 * "another vendor admin remains" see every committed change and none in flight.
 * (An advisory lock, not a row: the user rows and the vendor log's head are
 * locked by other paths in other orders.) `orgtrail create-admin` takes it too.
 */
export async function lockStaffRoster(tx: TransactionSql): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtext('orgtrail:staff-roster'))`;
}

type LockedStaff = { id: string; email: string; name: string; platform_role: PlatformRole; pending: boolean };

async function lockStaffMember(tx: TransactionSql, userId: string): Promise<LockedStaff> {
  if (!isUuid(userId)) throw notFound("Staff member not found");
  await lockStaffRoster(tx);
  const [member] = await tx<LockedStaff[]>`
    select u.id, u.email, u.name, u.platform_role, ${pendingAccount(tx)} as pending
    from users u where u.id = ${userId} and u.platform_role is not null
    for update of u`;
  if (!member) throw notFound("Staff member not found");
  return member;
}

/** Refuses to take the vendor_admin role from the last account that holds it: someone must be able to manage staff. */
async function keepAnAdmin(tx: TransactionSql, actor: VendorActor, member: LockedStaff): Promise<void> {
  if (member.platform_role !== "vendor_admin") return;
  const [{ n }] = await tx<{ n: string }[]>`select count(*) as n from users where platform_role = 'vendor_admin'`;
  if (Number(n) > 1) return;
  throw conflict(
    member.id === actor.userId
      ? "You are the last vendor admin: make another staff member a vendor admin first"
      : `${member.name} is the last vendor admin: make another staff member a vendor admin first`,
  );
}

/** A support engineer who stops being one loses their open grants on customer logs at once. */
async function endSupportGrants(tx: TransactionSql, userId: string): Promise<void> {
  await tx`update support_grants set expires_at = now() where user_id = ${userId} and expires_at > now()`;
}

/** Spends the unused set-password links of an account, so only the newest one works. */
async function spendOpenLinks(tx: TransactionSql, userId: string): Promise<void> {
  await tx`update user_tokens set expires_at = now() where user_id = ${userId} and purpose = 'set_password' and used_at is null and expires_at > now()`;
}

const staffEntity = (member: { id: string; name: string; email: string }) => userEntity(member, null);

/**
 * Makes an account vendor staff. A new email gets an account without a password
 * and a one-time set-password link, returned once (only its hash is stored). An
 * existing account keeps its password and organizations and gets no link (it
 * signs in as before); if it belongs to customer organizations, the caller must
 * confirm (`confirmExistingAccount`), since that person then reaches every customer as staff.
 */
export async function inviteStaff(
  actor: VendorActor,
  input: unknown,
): Promise<{ userId: string; email: string; role: PlatformRole; existingAccount: boolean; link: SetPasswordLink | null }> {
  const { email, name, role, confirmExistingAccount } = parse(inviteStaffInput, input);
  return sql().begin(async (tx) => {
    await lockStaffRoster(tx);
    const [existing] = await tx<{ id: string; name: string; platform_role: PlatformRole | null; organizations: string; pending: boolean }[]>`
      select u.id, u.name, u.platform_role, ${pendingAccount(tx)} as pending,
        (select count(*) from memberships m join organizations o on o.id = m.organization_id where m.user_id = u.id and o.kind = 'customer') as organizations
      from users u where u.email = ${email}
      for update of u`;
    if (existing?.platform_role) {
      throw conflict(`${email} is already vendor staff (${staffRoleLabel(existing.platform_role)}): change their role in the table`, [{ path: "email", message: "is already vendor staff" }]);
    }
    const customerOrganizations = Number(existing?.organizations ?? 0);
    if (existing && customerOrganizations > 0 && confirmExistingAccount !== true) {
      throw conflict(
        `${email} already has an Orgtrail account in ${customerOrganizations} customer organization${customerOrganizations === 1 ? "" : "s"}. Confirm to give that account the ${staffRoleLabel(role)} role.`,
        [{ path: "confirmExistingAccount", message: "confirm to give the existing account a staff role" }],
      );
    }
    const [user] = existing
      ? await tx<{ id: string; name: string }[]>`update users set platform_role = ${role} where id = ${existing.id} returning id, name`
      : await tx<{ id: string; name: string }[]>`insert into users (email, name, platform_role) values (${email}, ${name}, ${role}) returning id, name`;
    const issued = !existing || existing.pending ? await issueSetPasswordToken(tx, user!.id) : null;
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.staff.invited",
      actor: actor.entity,
      targets: [staffEntity({ id: user!.id, name: user!.name, email })],
      metadata: { email, role, existing_account: Boolean(existing), ...(issued ? { link_expires_at: issued.expiresAt.toISOString() } : {}) },
    });
    return {
      userId: user!.id,
      email,
      role,
      existingAccount: Boolean(existing),
      link: issued ? { url: issued.url, expiresAt: issued.expiresAt.toISOString() } : null,
    };
  });
}

/** Changes a staff member's role; the last vendor admin keeps theirs. */
export async function changeStaffRole(actor: VendorActor, userId: string, input: unknown): Promise<{ changed: boolean; self: boolean }> {
  const { role } = parse(changeStaffRoleInput, input);
  return sql().begin(async (tx) => {
    const member = await lockStaffMember(tx, userId);
    const self = member.id === actor.userId;
    if (member.platform_role === role) return { changed: false, self };
    await keepAnAdmin(tx, actor, member);
    await tx`update users set platform_role = ${role} where id = ${member.id}`;
    if (member.platform_role === "vendor_support") await endSupportGrants(tx, member.id);
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.staff.role_changed",
      actor: actor.entity,
      targets: [staffEntity(member)],
      metadata: { role_from: member.platform_role, role_to: role },
    });
    return { changed: true, self };
  });
}

/** Takes the staff role from an account; the account, its password and its organizations stay. The last vendor admin cannot be removed. */
export async function removeStaff(actor: VendorActor, userId: string): Promise<{ self: boolean }> {
  return sql().begin(async (tx) => {
    const member = await lockStaffMember(tx, userId);
    await keepAnAdmin(tx, actor, member);
    await tx`update users set platform_role = null where id = ${member.id}`;
    await endSupportGrants(tx, member.id);
    await spendOpenLinks(tx, member.id);
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.staff.removed",
      actor: actor.entity,
      targets: [staffEntity(member)],
      metadata: { role: member.platform_role },
    });
    return { self: member.id === actor.userId };
  });
}

/** A new set-password link for a staff member who has not signed in yet; their earlier links stop working. */
export async function resendStaffLink(actor: VendorActor, userId: string): Promise<SetPasswordLink> {
  return sql().begin(async (tx) => {
    const member = await lockStaffMember(tx, userId);
    if (!member.pending) throw conflict(`${member.name} has already set a password or signed in, so no new link can be made for their account`);
    await spendOpenLinks(tx, member.id);
    const issued = await issueSetPasswordToken(tx, member.id);
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.staff.invite_resent",
      actor: actor.entity,
      targets: [staffEntity(member)],
      metadata: { email: member.email, link_expires_at: issued.expiresAt.toISOString() },
    });
    return { url: issued.url, expiresAt: issued.expiresAt.toISOString() };
  });
}

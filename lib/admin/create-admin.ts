import "server-only";
import { hostname, userInfo } from "node:os";
import { z } from "zod";
import { sql } from "@/db/client";
import { PLATFORM_ROLES, type PlatformRole } from "@/db/schema";
import { emailSchema } from "@/lib/members/invites";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { AppError } from "@/lib/errors";
import { issueSetPasswordToken } from "@/lib/auth/user-tokens";
import type { EventEntity } from "@/lib/events/types";
import { recordAppEvent } from "@/lib/events/app-events";
import { staffNameSchema } from "./first-run";
import { lockStaffRoster } from "./staff";
import { userEntity } from "@/lib/access/actor";

export const createAdminInput = z.object({
  email: emailSchema,
  name: staffNameSchema.optional(),
  role: z.enum(PLATFORM_ROLES, { error: "must be vendor_admin or vendor_support" }).default("vendor_admin"),
});

export type CreatedAdmin = { email: string; role: PlatformRole; newAccount: boolean; link: { url: string; expiresAt: Date } };

/** Whoever ran the command, as far as this machine can tell: the event's actor. */
function cliActor(): EventEntity {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    // A container user with no passwd entry has no name; its uid still says who.
    osUser = `uid ${process.getuid?.() ?? "unknown"}`;
  }
  return { type: "system", id: "orgtrail.cli", name: "Orgtrail CLI", metadata: { os_user: osUser, host: hostname() } };
}

/**
 * `orgtrail create-admin`: makes an account vendor staff (creating it, without a
 * password, when the email is new) and issues a one-time link to set its
 * password. Recorded in the vendor log with the link's expiry, never the link.
 */
export async function createAdminFromCli(input: unknown): Promise<CreatedAdmin> {
  const { email, name, role } = createAdminInput.parse(input);
  return sql().begin(async (tx) => {
    // The staff roster's lock: the last-admin check below sees every other staff change, and two runs for one email cannot both create it.
    await lockStaffRoster(tx);
    const [existing] = await tx<{ id: string; name: string; platform_role: PlatformRole | null }[]>`
      select id, name, platform_role from users where email = ${email} for update`;
    if (existing?.platform_role === "vendor_admin" && role !== "vendor_admin") {
      const [other] = await tx`select 1 from users where platform_role = 'vendor_admin' and id <> ${existing.id} limit 1`;
      if (!other) throw new AppError("conflict", `${email} is the only vendor admin: make another account a vendor admin first`);
    }
    const [user] = existing
      ? await tx<{ id: string; name: string }[]>`update users set platform_role = ${role}, name = ${name ?? existing.name} where id = ${existing.id} returning id, name`
      : await tx<{ id: string; name: string }[]>`insert into users (email, name, platform_role) values (${email}, ${name ?? email.split("@")[0]!}, ${role}) returning id, name`;
    const link = await issueSetPasswordToken(tx, user!.id);
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.staff.created",
      actor: cliActor(),
      targets: [userEntity({ id: user!.id, name: user!.name, email }, null)],
      metadata: {
        role,
        ...(existing?.platform_role ? { role_from: existing.platform_role } : {}),
        method: "cli",
        new_account: !existing,
        link_expires_at: link.expiresAt.toISOString(),
      },
    });
    return { email, role, newAccount: !existing, link: { url: link.url, expiresAt: link.expiresAt } };
  });
}

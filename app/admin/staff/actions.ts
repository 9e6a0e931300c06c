"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { vendorAction } from "@/lib/access/vendor-permissions";
import { changeStaffRole, inviteStaff, removeStaff, resendStaffLink } from "@/lib/admin/staff";

/** The staff page's server actions: each checks `staff.manage` on the server (vendorAction, lib/access/vendor-permissions.ts); lib/admin/staff.ts validates the values. */

const inviteInput = z.object({ email: z.string(), name: z.string(), role: z.string(), confirmExistingAccount: z.boolean().optional() });

export async function inviteStaffAction(input: { email: string; name: string; role: string; confirmExistingAccount?: boolean }) {
  const result = await vendorAction("staff.manage", inviteInput, input, (actor, data) => inviteStaff(actor, data));
  revalidatePath("/admin/staff");
  return result;
}

export async function changeStaffRoleAction(userId: string, role: string) {
  const result = await vendorAction("staff.manage", z.object({ userId: z.string(), role: z.string() }), { userId, role }, (actor, data) => changeStaffRole(actor, data.userId, { role: data.role }));
  revalidatePath("/admin/staff");
  return result;
}

export async function removeStaffAction(userId: string) {
  const result = await vendorAction("staff.manage", z.string(), userId, (actor, id) => removeStaff(actor, id));
  revalidatePath("/admin/staff");
  return result;
}

export async function resendStaffLinkAction(userId: string) {
  const result = await vendorAction("staff.manage", z.string(), userId, (actor, id) => resendStaffLink(actor, id));
  revalidatePath("/admin/staff");
  return result;
}

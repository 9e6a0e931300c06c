"use server";

import { revalidatePath } from "next/cache";
import { asVendorAdmin } from "@/lib/admin/server-action";
import { changeStaffRole, inviteStaff, removeStaff, resendStaffLink } from "@/lib/admin/staff";

/** The staff page's server actions: each checks `staff.manage` on the server (lib/admin/server-action.ts); lib/admin/staff.ts validates the input. */

export async function inviteStaffAction(input: { email: string; name: string; role: string; confirmExistingAccount?: boolean }) {
  const result = await asVendorAdmin("staff.manage", (actor) => inviteStaff(actor, input));
  revalidatePath("/admin/staff");
  return result;
}

export async function changeStaffRoleAction(userId: string, role: string) {
  const result = await asVendorAdmin("staff.manage", (actor) => changeStaffRole(actor, userId, { role }));
  revalidatePath("/admin/staff");
  return result;
}

export async function removeStaffAction(userId: string) {
  const result = await asVendorAdmin("staff.manage", (actor) => removeStaff(actor, userId));
  revalidatePath("/admin/staff");
  return result;
}

export async function resendStaffLinkAction(userId: string) {
  const result = await asVendorAdmin("staff.manage", (actor) => resendStaffLink(actor, userId));
  revalidatePath("/admin/staff");
  return result;
}

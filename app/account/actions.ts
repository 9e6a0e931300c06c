"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { userAction, type ActionResult } from "@/lib/access/server-action";
import { changePassword, type PasswordChangeInput } from "@/lib/accounts/password-change";

const passwordChange = z.object({ currentPassword: z.string(), newPassword: z.string(), confirmPassword: z.string() });

/** Changes the signed-in user's password; on success every session ends, this one too, so it leads to sign-in. */
export async function changePasswordAction(input: PasswordChangeInput): Promise<ActionResult> {
  const result = await userAction(passwordChange, input, async (user, data, context) => {
    await changePassword(user, data, context);
    return null;
  });
  if (result.ok) redirect("/login?notice=password-changed");
  return result;
}

"use server";

import { redirect } from "next/navigation";
import { actionError, type ActionResult } from "@/lib/access/settings-action";
import { changePassword, type PasswordChangeInput } from "@/lib/auth/password-change";
import { sessionUser } from "@/lib/auth/principal";
import { requestContext } from "@/lib/auth/request-context";

/** Changes the signed-in user's password; on success every session ends, this one too, so it leads to sign-in. */
export async function changePasswordAction(input: PasswordChangeInput): Promise<ActionResult> {
  try {
    const user = await sessionUser();
    if (!user) return { ok: false, error: "Your session has ended: sign in again" };
    await changePassword(user, input, await requestContext());
  } catch (error) {
    return actionError(error);
  }
  redirect("/login?notice=password-changed");
}

"use server";

import { actionError, type ActionResult } from "@/lib/access/settings-action";
import { requestContext } from "@/lib/auth/request-context";
import { consumeSetPasswordToken } from "@/lib/auth/user-tokens";

export async function setPasswordAction(token: string, password: string): Promise<ActionResult> {
  try {
    await consumeSetPasswordToken(String(token), String(password), await requestContext());
    return { ok: true, data: null };
  } catch (error) {
    return actionError(error);
  }
}

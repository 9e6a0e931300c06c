"use server";

import { createFirstAdmin } from "@/lib/admin/first-run";
import { actionError, type ActionResult } from "@/lib/access/settings-action";
import { requestContext } from "@/lib/auth/request-context";

export async function createFirstAdminAction(input: { token: string; email: string; name: string; password: string }): Promise<ActionResult> {
  try {
    await createFirstAdmin(input, await requestContext());
    return { ok: true, data: null };
  } catch (error) {
    return actionError(error);
  }
}

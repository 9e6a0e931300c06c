"use server";

import { z } from "zod";
import { anonymousAction, type ActionResult } from "@/lib/access/server-action";
import { consumeSetPasswordToken } from "@/lib/accounts/set-password";

export async function setPasswordAction(token: string, password: string): Promise<ActionResult> {
  return anonymousAction(z.object({ token: z.string(), password: z.string() }), { token, password }, async (data, context) => {
    await consumeSetPasswordToken(data.token, data.password, context);
    return null;
  });
}

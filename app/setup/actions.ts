"use server";

import { z } from "zod";
import { createFirstAdmin } from "@/lib/admin/first-run";
import { anonymousAction, type ActionResult } from "@/lib/access/server-action";

const firstAdmin = z.object({ token: z.string(), email: z.string(), name: z.string(), password: z.string() });

/** The setup token in the input is what lets this through (lib/admin/first-run.ts). */
export async function createFirstAdminAction(input: { token: string; email: string; name: string; password: string }): Promise<ActionResult> {
  return anonymousAction(firstAdmin, input, async (data, context) => {
    await createFirstAdmin(data, context);
    return null;
  });
}

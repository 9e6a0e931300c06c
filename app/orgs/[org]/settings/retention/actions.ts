"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { orgAction } from "@/lib/access/server-action";
import { setRetentionDays } from "@/lib/events/retention";

/** The days are checked against the server's bounds by setRetentionDays. */
export async function setRetentionAction(org: string, days: number) {
  const result = await orgAction(org, z.unknown(), days, (scope, value, context) => setRetentionDays(scope, context, { days: value }));
  if (result.ok) revalidatePath(`/orgs/${org}/settings/retention`);
  return result;
}

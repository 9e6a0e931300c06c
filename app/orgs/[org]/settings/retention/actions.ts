"use server";

import { revalidatePath } from "next/cache";
import { runOrgAction } from "@/lib/access/settings-action";
import { setRetentionDays } from "@/lib/events/retention";

export async function setRetentionAction(org: string, days: number) {
  const result = await runOrgAction(org, (scope, context) => setRetentionDays(scope, context, { days }));
  if (result.ok) revalidatePath(`/orgs/${org}/settings/retention`);
  return result;
}

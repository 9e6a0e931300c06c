"use server";

import { revalidatePath } from "next/cache";
import { runOrgAction } from "@/lib/access/settings-action";
import { createOrgKey, revokeOrgKey } from "@/lib/auth/org-api-keys";

export async function createKeyAction(org: string, input: { name: string; scopes: string[] }) {
  const result = await runOrgAction(org, (scope, context) => createOrgKey(scope, context, input));
  if (result.ok) revalidatePath(`/orgs/${org}/settings/api-keys`);
  return result;
}

export async function revokeKeyAction(org: string, keyId: string) {
  const result = await runOrgAction(org, (scope, context) => revokeOrgKey(scope, context, { keyId }));
  if (result.ok) revalidatePath(`/orgs/${org}/settings/api-keys`);
  return result;
}

"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { orgAction } from "@/lib/access/server-action";
import { createOrgKey, revokeOrgKey } from "@/lib/org-keys/org-api-keys";

export async function createKeyAction(org: string, input: { name: string; scopes: string[] }) {
  const schema = z.object({ name: z.string(), scopes: z.array(z.string()) });
  const result = await orgAction(org, schema, input, (scope, data, context) => createOrgKey(scope, context, data));
  if (result.ok) revalidatePath(`/orgs/${org}/settings/api-keys`);
  return result;
}

export async function revokeKeyAction(org: string, keyId: string) {
  const result = await orgAction(org, z.string(), keyId, (scope, id, context) => revokeOrgKey(scope, context, { keyId: id }));
  if (result.ok) revalidatePath(`/orgs/${org}/settings/api-keys`);
  return result;
}

"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ApiError } from "@/lib/api/errors";
import { sessionUser } from "@/lib/auth/principal";
import { clientIp } from "@/lib/auth/sign-in";
import { findOrganization } from "./scope";
import { endSupportAccess, openSupportAccess } from "./support";

export type SupportFormState = { error: string | null; reason: string };

/** Who is asking is read from the session here, on the server: the form's fields only name the organization. */
async function staffAndOrganization(orgRef: string) {
  const user = await sessionUser();
  if (!user) redirect("/login");
  const organization = await findOrganization(orgRef);
  if (user.platformRole !== "vendor_support" || !organization || organization.kind !== "customer") {
    return { user, organization: null };
  }
  return { user, organization };
}

export async function openSupportAccessAction(_previous: SupportFormState, form: FormData): Promise<SupportFormState> {
  const reason = String(form.get("reason") ?? "");
  const { user, organization } = await staffAndOrganization(String(form.get("org") ?? ""));
  if (!organization) return { error: "Support access is not available for this organization.", reason };
  const requestHeaders = Object.fromEntries((await headers()).entries());
  try {
    await openSupportAccess(user, organization, reason, { ip: clientIp(requestHeaders), userAgent: requestHeaders["user-agent"] ?? null });
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return { error: error.message, reason };
    throw error;
  }
  redirect(`/orgs/${organization.slug}/audit-logs`);
}

export async function endSupportAccessAction(form: FormData): Promise<void> {
  const { user, organization } = await staffAndOrganization(String(form.get("org") ?? ""));
  if (!organization) return;
  await endSupportAccess(user, organization.id);
  redirect(`/orgs/${organization.slug}/support`);
}

"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { notFound } from "@/lib/errors";
import { sessionUser } from "@/lib/auth/principal";
import type { ActionError } from "@/lib/access/action-result";
import { findOrganization } from "@/lib/access/scope";
import { runActionAs } from "@/lib/access/server-action";
import { endSupportAccess, openSupportAccess } from "./support-access";

export type SupportFormState = { error: ActionError | null; reason: string; minutes: number };

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

const supportRequest = z.object({ reason: z.string().default(""), minutes: z.string().default("") });

export async function openSupportAccessAction(_previous: SupportFormState, form: FormData): Promise<SupportFormState> {
  const reason = String(form.get("reason") ?? "");
  const minutes = Number(form.get("minutes"));
  const input = { reason: form.get("reason") ?? undefined, minutes: form.get("minutes") ?? undefined };
  const result = await runActionAs(
    () => staffAndOrganization(String(form.get("org") ?? "")),
    supportRequest,
    input,
    async ({ user, organization }, data, context) => {
      if (!organization) throw notFound("Support access is not available for this organization.");
      await openSupportAccess(user, organization, data.reason, context, Number(data.minutes));
      return organization.slug;
    },
  );
  if (result.ok) redirect(`/orgs/${result.data}/audit-logs`);
  return { error: result.error, reason, minutes };
}

/** "End access now" on the support page: back to the page, ready for the next request. */
export async function endSupportAccessAction(form: FormData): Promise<void> {
  const { user, organization } = await staffAndOrganization(String(form.get("org") ?? ""));
  if (!organization) return;
  await endSupportAccess(user, organization.id);
  redirect(`/orgs/${organization.slug}/support`);
}

/** "End access" in the banner over a customer's pages and in the Organizations table: back to the organizations list. */
export async function endSupportAccessToOrganizationsAction(form: FormData): Promise<void> {
  const { user, organization } = await staffAndOrganization(String(form.get("org") ?? ""));
  if (organization) await endSupportAccess(user, organization.id);
  redirect("/admin/organizations");
}

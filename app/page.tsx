import { redirect } from "next/navigation";
import { sql } from "@/db/client";
import { organizationsOfUser, vendorOrganizationId } from "@/lib/access/organizations";
import { requireUser } from "@/lib/access/page-session";

export default async function Home() {
  const user = await requireUser();
  // A portal session reaches one organization only.
  if (user.portal) redirect(`/orgs/${user.portal.organizationId}/audit-logs`);
  const [first] = await organizationsOfUser(user.userId);
  if (first) redirect(`/orgs/${first.slug}/audit-logs`);
  // Staff land on the vendor's own log, found by id: its slug is not fixed (migration 0005).
  if (user.platformRole) redirect(`/orgs/${await vendorOrganizationId(sql())}/audit-logs`);
  redirect("/login?error=NoOrganization");
}

import { redirect } from "next/navigation";
import { sql } from "@/db/client";
import { organizationsOfUser, vendorOrganizationId } from "@/lib/access/organizations";
import { requireUser } from "@/lib/access/page-session";

export default async function Home() {
  const user = await requireUser();
  const [first] = await organizationsOfUser(user.userId);
  if (first) redirect(`/orgs/${first.slug}/audit-logs`);
  // Staff land on the vendor's own log, found by id: its slug is not fixed (migration 0005).
  if (user.platformRole) redirect(`/orgs/${await vendorOrganizationId(sql())}/audit-logs`);
  redirect("/login?error=NoOrganization");
}

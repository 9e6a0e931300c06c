import { redirect } from "next/navigation";
import { organizationsOfUser } from "@/lib/access/organizations";
import { requireUser } from "@/lib/auth/page-session";

export default async function Home() {
  const user = await requireUser();
  const [first] = await organizationsOfUser(user.userId);
  if (first) redirect(`/orgs/${first.slug}/audit-logs`);
  if (user.platformRole) redirect("/orgs/vendor/audit-logs");
  redirect("/login?error=NoOrganization");
}

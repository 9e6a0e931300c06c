import { redirect } from "next/navigation";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";

export default async function AdminHome() {
  await requireVendorAdmin();
  redirect("/admin/organizations");
}

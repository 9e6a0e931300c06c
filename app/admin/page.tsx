import { redirect } from "next/navigation";
import { requireVendorAdmin } from "@/lib/admin/vendor-admin";

export default async function AdminHome() {
  await requireVendorAdmin();
  redirect("/admin/organizations");
}

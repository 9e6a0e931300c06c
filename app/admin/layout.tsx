import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AppHeader } from "@/components/app-header";
import { organizationsOfUser } from "@/lib/access/organizations";
import { requireVendorAdmin } from "@/lib/admin/vendor-admin";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireVendorAdmin();
  const organizations = await organizationsOfUser(user.userId);
  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader
        current={{ slug: "vendor", name: "Vendor console" }}
        organizations={organizations.map((o) => ({ slug: o.slug, name: o.name, role: o.role }))}
        user={{ name: user.name, email: user.email, role: user.platformRole }}
      />
      <AdminNav />
      <main className="mx-auto w-full max-w-[1600px] flex-1 px-4 py-6">{children}</main>
    </div>
  );
}

import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { AppHeader } from "@/components/app-header";
import { orgSwitcherFor } from "@/lib/access/org-switcher";
import { permissionsOfRole } from "@/lib/access/permissions";
import { requireVendorStaff } from "@/lib/access/vendor-permissions";

/** The vendor console: vendor admins manage here; support staff see the Organizations page to reach a customer. Each page checks its own permission. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireVendorStaff(["orgs.manage", "support.access"]);
  const switcher = await orgSwitcherFor(user);
  return (
    <div className="flex min-h-screen flex-col">
      <AppHeader
        current={{ slug: switcher.vendorLog?.slug ?? "vendor", name: switcher.console === "support" ? "Support console" : "Vendor console" }}
        switcher={switcher}
        user={{ name: user.name, email: user.email, role: user.platformRole }}
      />
      <AdminNav permissions={user.platformRole ? [...permissionsOfRole(user.platformRole)] : []} />
      <main className="mx-auto w-full max-w-[1600px] flex-1 px-4 py-6">{children}</main>
    </div>
  );
}

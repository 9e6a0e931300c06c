"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { Permission } from "@/lib/access/permissions";

/** The console's tabs and who sees each; every page checks its own permission on the server too. */
const TABS: { href: string; label: string; anyOf: Permission[] }[] = [
  { href: "/admin/organizations", label: "Organizations", anyOf: ["orgs.manage", "support.access"] },
  { href: "/admin/schemas", label: "Event schemas", anyOf: ["schemas.manage"] },
  { href: "/admin/api-keys", label: "API keys", anyOf: ["orgs.manage"] },
  { href: "/admin/staff", label: "Staff", anyOf: ["staff.manage"] },
  { href: "/admin/portal", label: "Portal", anyOf: ["orgs.manage"] },
  { href: "/admin/audit-logs", label: "Audit log", anyOf: ["orgs.manage"] },
];

export function AdminNav({ permissions }: { permissions: readonly Permission[] }) {
  const pathname = usePathname();
  return (
    <nav className="border-b border-zinc-200 dark:border-zinc-800" aria-label="Vendor console">
      <div className="mx-auto flex max-w-[1600px] gap-1 px-4">
        {TABS.filter((tab) => tab.anyOf.some((permission) => permissions.includes(permission))).map((tab) => {
          const active = pathname.startsWith(tab.href);
          return (
            <Link
              key={tab.href}
              href={tab.href}
              aria-current={active ? "page" : undefined}
              className={`-mb-px border-b-2 px-3 py-2.5 text-sm font-medium ${active ? "border-indigo-600 text-zinc-900 dark:border-indigo-400 dark:text-zinc-50" : "border-transparent text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200"}`}
            >
              {tab.label}
            </Link>
          );
        })}
      </div>
    </nav>
  );
}

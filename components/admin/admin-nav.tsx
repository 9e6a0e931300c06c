"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/admin/organizations", label: "Organizations" },
  { href: "/admin/schemas", label: "Event schemas" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/audit-logs", label: "Audit log" },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav className="border-b border-zinc-200 dark:border-zinc-800" aria-label="Vendor console">
      <div className="mx-auto flex max-w-[1600px] gap-1 px-4">
        {TABS.map((tab) => {
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

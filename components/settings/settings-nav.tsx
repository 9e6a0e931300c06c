"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { KeyRound, RadioTower, Timer, Users } from "lucide-react";

const ICONS = { members: Users, "api-keys": KeyRound, retention: Timer, "log-streams": RadioTower } as const;

type Section = { slug: keyof typeof ICONS; label: string; description: string };

export function SettingsNav({ org, sections }: { org: string; sections: Section[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="flex shrink-0 gap-1 overflow-x-auto md:w-56 md:flex-col">
      {sections.map((section) => {
        const href = `/orgs/${org}/settings/${section.slug}`;
        const active = pathname === href || pathname.startsWith(`${href}/`);
        const Icon = ICONS[section.slug];
        return (
          <Link
            key={section.slug}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`group flex items-start gap-3 rounded-lg px-3 py-2 text-sm transition-colors ${
              active ? "bg-zinc-100 text-zinc-900 dark:bg-zinc-800/80 dark:text-zinc-50" : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-zinc-100"
            }`}
          >
            <Icon className={`mt-0.5 size-4 shrink-0 ${active ? "text-indigo-600 dark:text-indigo-400" : ""}`} aria-hidden />
            <span>
              <span className="block font-medium">{section.label}</span>
              <span className="hidden text-xs text-zinc-600 md:block dark:text-zinc-400">{section.description}</span>
            </span>
          </Link>
        );
      })}
    </nav>
  );
}

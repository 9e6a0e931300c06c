"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Check, ChevronsUpDown } from "lucide-react";
import Link from "next/link";

export type OrgChoice = { slug: string; name: string; role: string };

export function OrgSwitcher({ current, organizations }: { current: { slug: string; name: string }; organizations: OrgChoice[] }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:hover:bg-zinc-800"
        aria-label="Switch organization"
        data-testid="org-switcher"
      >
        {current.name}
        <ChevronsUpDown className="size-3.5 text-zinc-400" aria-hidden />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="start" sideOffset={6} className="z-50 min-w-56 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
          <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-zinc-500">Organizations</DropdownMenu.Label>
          {organizations.map((org) => (
            <DropdownMenu.Item key={org.slug} asChild>
              <Link href={`/orgs/${org.slug}/audit-logs`} className="flex items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800">
                <span className="flex-1">{org.name}</span>
                <span className="text-xs text-zinc-500">{org.role}</span>
                {org.slug === current.slug ? <Check className="size-3.5" aria-label="current" /> : <span className="size-3.5" />}
              </Link>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

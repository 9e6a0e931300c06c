"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ArrowRight, Check, ChevronsUpDown, LockOpen, ScrollText, SlidersHorizontal } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import type { OrgSwitcherData } from "@/lib/access/org-switcher";
import { GrantEnds } from "./support/grant-time";

const itemClass = "flex items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

function Item({ href, current, children }: { href: string; current?: boolean; children: ReactNode }) {
  return (
    <DropdownMenu.Item asChild>
      <Link href={href} className={itemClass}>
        {children}
        {current ? <Check className="size-3.5" aria-label="current" /> : <span className="size-3.5" />}
      </Link>
    </DropdownMenu.Item>
  );
}

function Section({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DropdownMenu.Group>
      <DropdownMenu.Label className="px-2 pt-2 pb-1 text-xs font-medium text-zinc-500">{label}</DropdownMenu.Label>
      {children}
    </DropdownMenu.Group>
  );
}

export function OrgSwitcher({ current, switcher }: { current: { slug: string; name: string }; switcher: OrgSwitcherData }) {
  const { memberOf, vendorLog, console: consoleKind, support } = switcher;
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
        <DropdownMenu.Content
          align="start"
          sideOffset={6}
          className="z-50 max-h-[min(32rem,var(--radix-dropdown-menu-content-available-height))] min-w-64 overflow-y-auto rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          {memberOf.length > 0 ? (
            <Section label="Your organizations">
              {memberOf.map((org) => (
                <Item key={org.slug} href={`/orgs/${org.slug}/audit-logs`} current={org.slug === current.slug}>
                  <span className="flex-1">{org.name}</span>
                  <span className="text-xs text-zinc-500">{org.role}</span>
                </Item>
              ))}
            </Section>
          ) : null}
          {vendorLog ? (
            <Section label="Vendor">
              <Item href={`/orgs/${vendorLog.slug}/audit-logs`} current={vendorLog.slug === current.slug}>
                <ScrollText className="size-4 text-zinc-400" aria-hidden />
                <span className="flex-1">Vendor log</span>
              </Item>
              {consoleKind === "admin" ? (
                <Item href="/admin">
                  <SlidersHorizontal className="size-4 text-zinc-400" aria-hidden />
                  <span className="flex-1">Vendor console</span>
                </Item>
              ) : null}
            </Section>
          ) : null}
          {consoleKind === "support" ? (
            <Section label="Customers · support access">
              {support.map((org) => (
                <Item key={org.slug} href={`/orgs/${org.slug}/audit-logs`} current={org.slug === current.slug}>
                  <span className="flex-1">{org.name}</span>
                  {org.accessUntil ? (
                    <span className="inline-flex items-center gap-1 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300">
                      <LockOpen className="size-3" aria-hidden /> until <GrantEnds iso={org.accessUntil} />
                    </span>
                  ) : (
                    <span className="text-xs text-zinc-400">no access</span>
                  )}
                </Item>
              ))}
              <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
              <Item href="/admin/organizations">
                <span className="flex-1 font-medium">All organizations</span>
                <ArrowRight className="size-3.5 text-zinc-400" aria-hidden />
              </Item>
            </Section>
          ) : null}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { KeyRound, LogOut } from "lucide-react";
import Link from "next/link";
import { signOut } from "next-auth/react";

const ITEM = "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string | null }) {
  const initials = name
    .split(/\s+/)
    .map((part) => part[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="flex items-center gap-2 rounded-full p-0.5 hover:bg-zinc-100 dark:hover:bg-zinc-800" data-testid="user-menu">
        {/* The initials are a picture of the person, not a label: the button is named by its hidden text. */}
        <span className="flex size-8 items-center justify-center rounded-full bg-indigo-600 text-xs font-semibold text-white" aria-hidden>
          {initials || "?"}
        </span>
        <span className="sr-only">Account menu{name ? ` for ${name}` : ""}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-50 min-w-56 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
          <div className="px-2 py-2">
            <div className="font-medium">{name}</div>
            <div className="text-xs text-zinc-600 dark:text-zinc-400">{email}</div>
            {role ? <div className="mt-1 inline-block rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">{role}</div> : null}
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <DropdownMenu.Item asChild className={ITEM}>
            <Link href="/account">
              <KeyRound className="size-4" aria-hidden /> Change password
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item
            onSelect={() => void signOut({ callbackUrl: "/login" })}
            className={ITEM}
          >
            <LogOut className="size-4" aria-hidden /> Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

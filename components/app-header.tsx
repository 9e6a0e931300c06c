import Link from "next/link";
import { LifeBuoy, ShieldCheck, SlidersHorizontal } from "lucide-react";
import type { OrgSwitcherData } from "@/lib/access/org-switcher";
import type { PortalHeader } from "@/lib/portal/header";
import { OrgSwitcher } from "./org-switcher";
import { PortalBackLink, PortalBrand } from "./portal/portal-brand";
import { UserMenu } from "./user-menu";

type Props = {
  current: { slug: string; name: string };
  switcher: OrgSwitcherData;
  user: { name: string; email: string; role: string | null };
  /** Whether the caller may manage members, keys or retention here. */
  showSettings?: boolean;
  /** A portal session: the vendor's branding instead of Orgtrail's and the org switcher, and the way back to the vendor's app. */
  portal?: PortalHeader | null;
};

const consoleLinkClass =
  "flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100";

export function AppHeader({ current, switcher, user, showSettings = false, portal = null }: Props) {
  return (
    <header
      className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90"
      style={portal?.accentColor ? { borderTop: `3px solid ${portal.accentColor}` } : undefined}
    >
      <div className="mx-auto flex h-14 max-w-[1600px] items-center gap-4 px-4">
        {portal ? (
          <PortalBrand portal={portal} orgName={current.name} />
        ) : (
          <>
            <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
              <ShieldCheck className="size-5 text-indigo-600 dark:text-indigo-400" aria-hidden />
              <span className="hidden sm:inline">Orgtrail</span>
            </Link>
            <span className="text-zinc-300 dark:text-zinc-700" aria-hidden>
              /
            </span>
            <OrgSwitcher current={current} switcher={switcher} />
          </>
        )}
        <nav className="ml-2 flex items-center gap-1 text-sm" aria-label="Organization">
          <Link href={`/orgs/${current.slug}/audit-logs`} className="rounded-md px-2.5 py-1.5 font-medium text-zinc-900 hover:bg-zinc-100 dark:text-zinc-100 dark:hover:bg-zinc-800">
            Audit log
          </Link>
          {showSettings ? (
            <Link href={`/orgs/${current.slug}/settings`} className="rounded-md px-2.5 py-1.5 font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100">
              Settings
            </Link>
          ) : null}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {portal ? <PortalBackLink portal={portal} /> : null}
          {switcher.console === "admin" ? (
            <Link href="/admin" className={consoleLinkClass}>
              <SlidersHorizontal className="size-4" aria-hidden /> Admin
            </Link>
          ) : null}
          {switcher.console === "support" ? (
            <Link href="/admin/organizations" className={consoleLinkClass}>
              <LifeBuoy className="size-4" aria-hidden /> Support
            </Link>
          ) : null}
          <UserMenu name={user.name} email={user.email} role={user.role} />
        </div>
      </div>
    </header>
  );
}

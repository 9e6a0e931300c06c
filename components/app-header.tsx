import Link from "next/link";
import { ShieldCheck } from "lucide-react";
import { OrgSwitcher, type OrgChoice } from "./org-switcher";
import { UserMenu } from "./user-menu";

type Props = {
  current: { slug: string; name: string };
  organizations: OrgChoice[];
  user: { name: string; email: string; role: string | null };
};

export function AppHeader({ current, organizations, user }: Props) {
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      <div className="mx-auto flex h-14 max-w-[1600px] items-center gap-4 px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <ShieldCheck className="size-5 text-indigo-600 dark:text-indigo-400" aria-hidden />
          <span className="hidden sm:inline">Orgtrail</span>
        </Link>
        <span className="text-zinc-300 dark:text-zinc-700" aria-hidden>
          /
        </span>
        <OrgSwitcher current={current} organizations={organizations} />
        <nav className="ml-2 flex items-center gap-1 text-sm" aria-label="Organization">
          <Link href={`/orgs/${current.slug}/audit-logs`} className="rounded-md px-2.5 py-1.5 font-medium text-zinc-900 hover:bg-zinc-100 dark:text-zinc-100 dark:hover:bg-zinc-800">
            Audit log
          </Link>
        </nav>
        <div className="ml-auto">
          <UserMenu name={user.name} email={user.email} role={user.role} />
        </div>
      </div>
    </header>
  );
}

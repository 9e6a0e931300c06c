import { ShieldCheck, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";

type Props = {
  icon: LucideIcon;
  /** A short code above the title, like 404. */
  code?: string;
  title: string;
  children: ReactNode;
  /** The ways on: links or buttons. */
  actions: ReactNode;
  /** Pages outside an organization have no app header; they get a bar like it. */
  topBar?: boolean;
};

export const primaryAction = "inline-flex h-9 items-center gap-1.5 rounded-md bg-indigo-600 px-3 text-sm font-medium text-white shadow-xs hover:bg-indigo-500";
export const secondaryAction =
  "inline-flex h-9 items-center gap-1.5 rounded-md border border-zinc-300 bg-white px-3 text-sm font-medium text-zinc-800 shadow-xs hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800";

/** A page that says why there is nothing to show (not found, an error) and offers a way back. */
export function StatusPage({ icon: Icon, code, title, children, actions, topBar = false }: Props) {
  const content = (
    <main id="main" className="flex flex-1 items-start justify-center px-4 pt-16 pb-10 sm:pt-24">
      <div className="w-full max-w-md text-center" data-testid="status-page">
        <div className="mx-auto mb-5 flex size-12 items-center justify-center rounded-full bg-zinc-100 text-zinc-600 dark:bg-zinc-900 dark:text-zinc-300">
          <Icon className="size-6" aria-hidden />
        </div>
        {code ? <p className="font-mono text-sm font-medium text-indigo-700 dark:text-indigo-300">{code}</p> : null}
        <h1 className="mt-1 text-xl font-semibold tracking-tight">{title}</h1>
        <div className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
        <div className="mt-6 flex flex-wrap items-center justify-center gap-2">{actions}</div>
      </div>
    </main>
  );
  if (!topBar) return content;
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-zinc-200 bg-white/90 dark:border-zinc-800 dark:bg-zinc-950/90">
        <div className="mx-auto flex h-14 max-w-[1600px] items-center gap-4 px-4">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <ShieldCheck className="size-5 text-indigo-600 dark:text-indigo-400" aria-hidden />
            Orgtrail
          </Link>
        </div>
      </header>
      {content}
    </div>
  );
}

import Link from "next/link";
import type { ReactNode } from "react";

/** The console's page furniture; controls and dialogs are in components/ui. */
export const tableClass = "w-full text-left text-sm";
export const thClass = "px-4 py-2.5 text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400";
export const tdClass = "px-4 py-3 align-middle";

/** A console page's title, with a link back to the page it belongs to when `back` is set. */
export function PageHeader({ title, description, actions, back }: { title: string; description: ReactNode; actions?: ReactNode; back?: { href: string; label: string } }) {
  return (
    <>
      {back ? (
        <div className="mb-2 text-sm">
          <Link href={back.href} className="text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200">
            ← {back.label}
          </Link>
        </div>
      ) : null}
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
          <p className="mt-1 max-w-2xl text-sm text-zinc-500 dark:text-zinc-400">{description}</p>
        </div>
        {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
      </div>
    </>
  );
}

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <div className={`overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900/40 ${className}`}>{children}</div>;
}

export function Badge({ children, tone = "zinc" }: { children: ReactNode; tone?: "zinc" | "indigo" | "amber" | "red" | "green" }) {
  const tones = {
    zinc: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
    indigo: "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300",
    amber: "bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
    red: "bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300",
    green: "bg-emerald-50 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300",
  };
  return <span className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

export const SEVERITY_TONE = { info: "zinc", low: "indigo", medium: "amber", high: "red", critical: "red" } as const;

export function Empty({ children }: { children: ReactNode }) {
  return <div className="px-4 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">{children}</div>;
}

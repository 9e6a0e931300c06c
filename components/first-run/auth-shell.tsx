import { ShieldCheck } from "lucide-react";
import type { ReactNode } from "react";

/** The frame of the signed-out pages (setup, set password): the Orgtrail mark, one card, and a note under it. */
export function AuthShell({ children, footer, wide = false }: { children: ReactNode; footer?: ReactNode; wide?: boolean }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4 py-10 dark:bg-zinc-950">
      <div className={`w-full ${wide ? "max-w-md" : "max-w-sm"}`}>
        <div className="mb-8 flex items-center justify-center gap-2 text-lg font-semibold tracking-tight">
          <ShieldCheck className="size-6 text-indigo-600 dark:text-indigo-400" aria-hidden />
          Orgtrail
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">{children}</div>
        {footer ? <div className="mt-6 px-2 text-center text-xs leading-relaxed text-zinc-500 dark:text-zinc-400">{footer}</div> : null}
      </div>
    </main>
  );
}

import { isSeverity, SEVERITY_LABELS, type Severity } from "./severity";

// Text, not only colour: each level reads as its word, at AA contrast in both themes.
const STYLES: Record<Severity, string> = {
  critical: "border-red-700 bg-red-700 text-white dark:border-red-500 dark:bg-red-600",
  high: "border-orange-300 bg-orange-50 text-orange-800 dark:border-orange-800 dark:bg-orange-950/60 dark:text-orange-200",
  medium: "border-amber-300 bg-amber-50 text-amber-800 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200",
  low: "border-sky-200 bg-sky-50 text-sky-800 dark:border-sky-900 dark:bg-sky-950/60 dark:text-sky-200",
  info: "border-zinc-200 bg-zinc-50 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300",
};

/** An action's severity as a small word badge; nothing when the schema gives none. */
export function SeverityBadge({ severity, className = "" }: { severity: string | undefined; className?: string }) {
  if (!isSeverity(severity)) return null;
  return (
    <span className={`inline-flex h-5 shrink-0 items-center rounded border px-1.5 text-[11px] leading-none font-semibold ${STYLES[severity]} ${className}`} data-testid="severity">
      {SEVERITY_LABELS[severity]}
    </span>
  );
}

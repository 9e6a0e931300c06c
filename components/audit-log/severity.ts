import type { QueryTerm } from "@/lib/events/query-language";

/*
 * Severity comes from each action's schema display. The query language has no
 * severity key, so filtering by severity means filtering by the actions that
 * carry it: `action:` terms, which the server ORs, visible as chips and in the
 * shared URL like any other filter.
 */

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low", info: "Info" };

export function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

/** The actions whose schema gives them this severity, sorted. */
export function actionsWithSeverity(displays: Record<string, { severity?: string }>, severity: Severity): string[] {
  return Object.entries(displays)
    .filter(([, display]) => display.severity === severity)
    .map(([action]) => action)
    .sort();
}

/** Whether the query includes every one of these actions as an exact `action:` term (the level's checkbox). */
export function includesAllActions(terms: readonly QueryTerm[] | null, actions: readonly string[]): boolean {
  if (!terms || actions.length === 0) return false;
  const included = new Set(terms.filter((t) => t.key === "action" && !t.negated).map((t) => t.value));
  return actions.every((a) => included.has(a));
}

import type { PortalIntent } from "@/db/schema";

/** The page a portal link's intent opens in its organization. */
export function intentPath(slug: string, intent: PortalIntent): string {
  const base = `/orgs/${encodeURIComponent(slug)}`;
  if (intent === "settings") return `${base}/settings`;
  if (intent === "log_streams") return `${base}/settings/log-streams`;
  return `${base}/audit-logs`;
}

export const portalPath = (token: string): string => `/portal/${token}`;

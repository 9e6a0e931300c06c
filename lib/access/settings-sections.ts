import "server-only";
import { notFound } from "next/navigation";
import { requireOrgScope } from "@/lib/access/page-session";
import { can, type Permission } from "./permissions";
import type { Scope } from "./scope";

export type SettingsSection = { slug: "members" | "api-keys" | "retention" | "log-streams"; label: string; description: string; permission: Permission };

export const SETTINGS_SECTIONS: readonly SettingsSection[] = [
  { slug: "members", label: "Members", description: "People, roles and invites", permission: "members.manage" },
  { slug: "api-keys", label: "API keys", description: "Keys for your backend and SIEM", permission: "keys.manage" },
  { slug: "retention", label: "Retention", description: "How long events are kept", permission: "retention.manage" },
  { slug: "log-streams", label: "Log streams", description: "Send events to your SIEM", permission: "streams.read" },
];

export const allowedSections = (scope: Scope): SettingsSection[] => SETTINGS_SECTIONS.filter((s) => can(scope, s.permission));

/** Whether the caller may open any settings page (the header's Settings link). */
export const canOpenSettings = (scope: Scope): boolean => allowedSections(scope).length > 0;

/** The scope for a settings page; a caller without the section's permission gets the 404 page, as if it did not exist. */
export async function requireSettingsSection(orgRef: string, slug: SettingsSection["slug"]): Promise<Scope> {
  const scope = await requireOrgScope(orgRef);
  const section = SETTINGS_SECTIONS.find((s) => s.slug === slug)!;
  if (!can(scope, section.permission)) notFound();
  return scope;
}

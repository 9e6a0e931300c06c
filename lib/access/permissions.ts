import type { ApiKeyScope } from "@/lib/auth/api-key-secret";
import type { OrgRole, PlatformRole } from "@/db/schema";

export const PERMISSIONS = [
  "events.read.all",
  "events.read.own",
  "events.write",
  "events.export",
  "members.manage",
  "keys.manage",
  "retention.manage",
  "schemas.manage",
  "orgs.manage",
  "staff.manage",
  "support.access",
  "streams.read",
  "streams.manage",
  "streams.replay",
  "portal.links",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The one table of who may do what. Org roles apply inside their organization only. */
export const ROLE_PERMISSIONS: Record<OrgRole | PlatformRole, readonly Permission[]> = {
  owner: ["events.read.all", "events.export", "members.manage", "keys.manage", "retention.manage", "streams.read", "streams.manage", "streams.replay"],
  admin: ["events.read.all", "events.export", "members.manage", "keys.manage", "retention.manage", "streams.read", "streams.manage"],
  auditor: ["events.read.all", "events.export", "streams.read"],
  member: ["events.read.own"],
  vendor_admin: ["schemas.manage", "orgs.manage", "staff.manage"],
  vendor_support: ["support.access"],
};

/** What an API key's scopes let it do, inside the organizations the key may reach. */
export const KEY_SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  "events:write": ["events.write"],
  "events:read": ["events.read.all"],
  "exports:write": ["events.export"],
  "schemas:write": ["schemas.manage"],
  "portal:write": ["portal.links"],
  "retention:write": ["retention.manage"],
  "orgs:write": ["orgs.manage"],
};

export function permissionsOfRole(role: OrgRole | PlatformRole): Set<Permission> {
  return new Set(ROLE_PERMISSIONS[role]);
}

export function permissionsOfKeyScopes(scopes: readonly ApiKeyScope[]): Set<Permission> {
  return new Set(scopes.flatMap((scope) => KEY_SCOPE_PERMISSIONS[scope] ?? []));
}

export function can(holder: { permissions: ReadonlySet<Permission> }, permission: Permission): boolean {
  return holder.permissions.has(permission);
}

export const canReadEvents = (holder: { permissions: ReadonlySet<Permission> }): boolean =>
  can(holder, "events.read.all") || can(holder, "events.read.own");

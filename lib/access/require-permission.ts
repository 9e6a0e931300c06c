import { AppError, notFound } from "@/lib/errors";
import { can, canReadEvents, type Permission } from "./permissions";
import type { Scope } from "./scope";

/** "events.read" is met by reading the whole log or only one's own events. */
export type RequiredPermission = Permission | "events.read";

/**
 * Checks a permission in an organization. A caller who cannot read the
 * organization's events gets not_found (nothing about it leaks); one who can
 * read but lacks this permission gets forbidden.
 */
export function requirePermission(scope: Pick<Scope, "permissions">, permission: RequiredPermission): void {
  if (permission === "events.read") {
    if (!canReadEvents(scope)) throw notFound("Organization not found");
    return;
  }
  if (can(scope, permission)) return;
  if (canReadEvents(scope)) throw new AppError("forbidden", `This requires the ${permission} permission`);
  throw notFound("Organization not found");
}

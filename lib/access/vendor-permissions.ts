import "server-only";
import type { z } from "zod";
import { notFound as notFoundPage, redirect } from "next/navigation";
import { can, permissionsOfKeyScopes, permissionsOfRole, type Permission } from "./permissions";
import { notFound } from "@/lib/errors";
import { sessionUser, type Principal, type UserPrincipal } from "@/lib/auth/principal";
import { runActionAs, signedInUser, type ActionResult } from "./server-action";
import type { RequestContext } from "@/lib/auth/request-context";
import { principalEntity } from "./actor";
import type { EventEntity } from "@/lib/events/types";

/** The console's permissions: event schemas, organizations and vendor keys, vendor staff; support staff see the organizations to reach a customer. */
export type VendorPermission = Extract<Permission, "schemas.manage" | "orgs.manage" | "staff.manage" | "support.access" | "portal.links">;

/** A caller cleared for a console change, and how they appear as the actor of its event. */
export type VendorActor = { principal: Principal; entity: EventEntity; userId: string | null };

function permissionsOf(principal: Principal): ReadonlySet<Permission> {
  if (principal.kind === "user") return principal.platformRole ? permissionsOfRole(principal.platformRole) : new Set();
  // Only a vendor-wide key acts on the vendor's configuration; an org-bound key never does.
  return principal.organizationId === null ? permissionsOfKeyScopes(principal.scopes) : new Set();
}

export function hasVendorPermission(principal: Principal, permission: VendorPermission): boolean {
  return can({ permissions: permissionsOf(principal) }, permission);
}

/**
 * Checks a console permission on the server. Anyone without it gets 404, as if
 * the console did not exist, so its existence does not leak.
 */
export function requireVendorPermission(principal: Principal, permission: VendorPermission): VendorActor {
  if (!hasVendorPermission(principal, permission)) throw notFound();
  return { principal, userId: principal.kind === "user" ? principal.userId : null, entity: principalEntity(principal) };
}

/** A console server action (lib/access/server-action.ts) for the signed-in staff member holding `permission`, checked here on the server whatever the page showed. */
export async function vendorAction<S extends z.ZodType, T>(
  permission: VendorPermission,
  schema: S,
  input: unknown,
  run: (actor: VendorActor, data: z.output<S>, context: RequestContext) => Promise<T>,
): Promise<ActionResult<T>> {
  return runActionAs(async () => requireVendorPermission(await signedInUser(), permission), schema, input, run);
}

/** The signed-in vendor admin of a console page: no session → /login, anyone else → the 404 page. */
export async function requireVendorAdmin(permission: VendorPermission = "orgs.manage"): Promise<UserPrincipal> {
  return requireVendorStaff([permission]);
}

/** The signed-in staff member of a console page who holds any of these permissions: no session → /login, anyone else → the 404 page. */
export async function requireVendorStaff(anyOf: readonly VendorPermission[]): Promise<UserPrincipal> {
  const user = await sessionUser();
  if (!user) redirect("/login");
  if (!anyOf.some((permission) => hasVendorPermission(user, permission))) notFoundPage();
  return user;
}

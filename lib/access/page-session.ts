import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { can, canReadEvents } from "./permissions";
import { resolveOrgScope, type Scope } from "./scope";
import { AppError } from "@/lib/errors";
import { sessionUser, type UserPrincipal } from "@/lib/auth/principal";

// cache(): the layout and the page of one request resolve the user and scope once, not each.

/** The signed-in user of a page, or a redirect to /login. */
export const requireUser = cache(async (): Promise<UserPrincipal> => {
  const user = await sessionUser();
  if (!user) redirect("/login");
  return user;
});

/** The user's scope in an organization for a page; no standing there is a 404 page. */
export const requireOrgScope = cache(async (orgRef: string): Promise<Scope> => {
  const user = await requireUser();
  try {
    return await resolveOrgScope(user, orgRef);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
});

/** As requireOrgScope, for pages that show events: a caller who may read none gets 404 (vendor support: the support page). */
export async function requireEventReader(orgRef: string): Promise<Scope> {
  const scope = await requireOrgScope(orgRef);
  // Vendor support reads a customer's log only after giving a reason there.
  if (!canReadEvents(scope) && can(scope, "support.access") && scope.organization.kind === "customer") redirect(`/orgs/${scope.organization.slug}/support`);
  if (!canReadEvents(scope)) notFound();
  return scope;
}

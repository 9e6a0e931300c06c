import "server-only";
import type { Scope } from "./scope";
import type { Principal } from "@/lib/auth/principal";
import type { EventEntity } from "@/lib/events/types";

/**
 * An Orgtrail user as an event's actor or target (DESIGN, "The app's own
 * events"): by their external id in the organization, else their user id,
 * with their email. The one place a user becomes an event entity.
 */
export function userEntity(user: { id: string; name: string; email: string }, externalId: string | null = null): EventEntity {
  return { type: "user", id: externalId ?? user.id, name: user.name, metadata: { email: user.email } };
}

/** A caller (a user or an API key) as an event actor, outside any organization: the console's vendor log. */
export function principalEntity(principal: Principal): EventEntity {
  if (principal.kind === "api_key") return { type: "api_key", id: principal.keyId, name: principal.name };
  return userEntity({ id: principal.userId, name: principal.name, email: principal.email });
}

/** The caller of a scope as an event actor: a user as they are known in the scope's organization. */
export function actorOf(scope: Scope): EventEntity {
  const principal = scope.principal;
  if (principal.kind === "system") return { type: "system", id: principal.id, name: principal.name };
  if (principal.kind === "api_key") return principalEntity(principal);
  return userEntity({ id: principal.userId, name: principal.name, email: principal.email }, scope.ownActorId);
}

import "server-only";
import type { Scope } from "@/lib/access/scope";
import type { EventEntity } from "./types";

/** Where a change came from, for the event that records it. */
export type RequestContext = { ip: string | null; userAgent: string | null };

export const NO_REQUEST: RequestContext = { ip: null, userAgent: null };

/**
 * The caller of a scope as an event actor (DESIGN, "The app's own events"): a
 * user by their external id in the organization (else their user id), with
 * their email; an API key by its id and name.
 */
export function actorOf(scope: Scope): EventEntity {
  const principal = scope.principal;
  if (principal.kind === "api_key") return { type: "api_key", id: principal.keyId, name: principal.name };
  return { type: "user", id: scope.ownActorId ?? principal.userId, name: principal.name, metadata: { email: principal.email } };
}

import "server-only";
import { ZodError } from "zod";
import { describeError, isRefusedValue, REFUSED_VALUE_MESSAGE } from "@/db/errors";
import { AppError } from "@/lib/errors";
import { requestContext } from "@/lib/auth/request-context";
import { sessionUser } from "@/lib/auth/principal";
import type { RequestContext } from "@/lib/events/app-actor";
import { resolveOrgScope, type Scope } from "./scope";

export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; error: string };

/** A caller-facing failure of a server action, as a result instead of a thrown error. */
export function actionError(error: unknown): ActionResult<never> {
  if (error instanceof AppError) return { ok: false, error: error.message };
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.join(".");
    return { ok: false, error: field ? `${field[0]!.toUpperCase()}${field.slice(1)} ${issue!.message}` : (issue?.message ?? "Invalid input") };
  }
  if (isRefusedValue(error)) {
    console.warn("[settings] input refused by the database:", describeError(error));
    return { ok: false, error: REFUSED_VALUE_MESSAGE };
  }
  throw error;
}

/**
 * Runs a settings mutation for the signed-in user: resolves their scope in the
 * organization on the server (the lib function then checks the permission) and
 * passes the request's IP and user agent for the event it records.
 */
export async function runOrgAction<T>(orgRef: string, mutate: (scope: Scope, context: RequestContext) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const user = await sessionUser();
    if (!user) return { ok: false, error: "Your session has ended: sign in again" };
    const scope = await resolveOrgScope(user, orgRef);
    return { ok: true, data: await mutate(scope, await requestContext()) };
  } catch (error) {
    return actionError(error);
  }
}

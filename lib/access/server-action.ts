import "server-only";
import { unstable_rethrow } from "next/navigation";
import { ZodError, type z } from "zod";
import { errorCode, isRefusedValue, REFUSED_VALUE_MESSAGE } from "@/db/errors";
import { AppError, notFound, zodIssues } from "@/lib/errors";
import { requestContext } from "@/lib/auth/request-context";
import { sessionUser, type UserPrincipal } from "@/lib/auth/principal";
import type { RequestContext } from "@/lib/auth/request-context";
import type { ActionError, ActionResult } from "./action-result";
import { resolveOrgScope, type Scope } from "./scope";

/*
 * The one way a server action runs: its arguments (which anyone can post) are
 * validated here with zod, the work runs, and any failure comes back as an
 * ActionResult for the form, never as a crash. The variants below only add who
 * is asking: nobody yet (setup, set-password, invite), the signed-in user, the
 * user in an organization; the console's is `vendorAction` in lib/admin.
 */

export type { ActionError, ActionResult } from "./action-result";

export const SESSION_ENDED_MESSAGE = "Your session has ended: sign in again";
export const UNEXPECTED_ERROR_MESSAGE = "Something went wrong; nothing was saved. Try again.";

/** `Name must be…`: a zod error's one issue as a sentence about its field. */
function sentenceOf(error: ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join(".");
  return field ? `${field[0]!.toUpperCase()}${field.slice(1)} ${issue.message}` : issue.message;
}

/** The one mapping of a server action's failure to what the form shows. Unknown errors are logged by name and code only: their message may hold SQL or values. */
export function actionFailure(error: unknown): { ok: false; error: ActionError } {
  if (error instanceof AppError) return { ok: false, error: { message: error.message, ...(error.issues?.length ? { issues: error.issues } : {}) } };
  if (error instanceof ZodError) return { ok: false, error: { message: error.issues.length === 1 ? sentenceOf(error) : "The form is not valid", issues: zodIssues(error) } };
  if (isRefusedValue(error)) return { ok: false, error: { message: REFUSED_VALUE_MESSAGE } };
  const code = errorCode(error);
  console.error(`[action] unexpected ${error instanceof Error ? error.name : typeof error}${code ? ` (code ${code})` : ""}`);
  return { ok: false, error: { message: UNEXPECTED_ERROR_MESSAGE } };
}

/** The signed-in user of the request; without a live session the form asks them to sign in again. */
export async function signedInUser(): Promise<UserPrincipal> {
  const user = await sessionUser();
  if (!user) throw new AppError("unauthorized", SESSION_ENDED_MESSAGE);
  return user;
}

/**
 * The one wrapper: `caller` says who is asking, and may refuse, before the
 * input is read (so a stranger learns nothing from validation messages); then
 * the input is validated with `schema` and the work runs. Every failure
 * becomes an ActionResult.
 */
export async function runActionAs<C, S extends z.ZodType, T>(
  caller: () => Promise<C>,
  schema: S,
  input: unknown,
  run: (caller: C, data: z.output<S>, context: RequestContext) => Promise<T>,
): Promise<ActionResult<T>> {
  try {
    const who = await caller();
    const data = schema.parse(input);
    return { ok: true, data: await run(who, data, await requestContext()) };
  } catch (error) {
    // redirect() and notFound() are Next's control flow, not failures.
    unstable_rethrow(error);
    return actionFailure(error);
  }
}

/** An action anyone may call (the first-run page, a set-password link, an invite): the token in its input is what it checks. */
export async function anonymousAction<S extends z.ZodType, T>(schema: S, input: unknown, run: (data: z.output<S>, context: RequestContext) => Promise<T>): Promise<ActionResult<T>> {
  return runActionAs(async () => null, schema, input, (_, data, context) => run(data, context));
}

/** An action of the signed-in user about themselves (their password, joining through an invite). */
export async function userAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  run: (user: UserPrincipal, data: z.output<S>, context: RequestContext) => Promise<T>,
): Promise<ActionResult<T>> {
  return runActionAs(signedInUser, schema, input, run);
}

/**
 * A settings action in an organization: the user's scope there is resolved on
 * the server (the lib function then checks the permission), with the request's
 * IP and user agent for the event it records.
 */
export async function orgAction<S extends z.ZodType, T>(
  orgRef: unknown,
  schema: S,
  input: unknown,
  run: (scope: Scope, data: z.output<S>, context: RequestContext) => Promise<T>,
): Promise<ActionResult<T>> {
  const scopeOf = async () => {
    const user = await signedInUser();
    if (typeof orgRef !== "string") throw notFound("Organization not found");
    return resolveOrgScope(user, orgRef);
  };
  return runActionAs(scopeOf, schema, input, run);
}

import "server-only";
import { describeError, isRefusedValue, REFUSED_VALUE_MESSAGE } from "@/db/errors";
import { AppError, type ErrorIssue } from "@/lib/errors";
import { sessionUser } from "@/lib/auth/principal";
import { requireVendorPermission, type VendorActor, type VendorPermission } from "./vendor-admin";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { message: string; issues?: ErrorIssue[] } };

/**
 * Runs a console server action for the signed-in vendor admin. The permission
 * is checked here, on the server, whatever the page showed; errors come back
 * as messages for the form, never as a crash.
 */
export async function asVendorAdmin<T>(permission: VendorPermission, run: (actor: VendorActor) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const user = await sessionUser();
    if (!user) return { ok: false, error: { message: "Your session has ended; sign in again" } };
    return { ok: true, data: await run(requireVendorPermission(user, permission)) };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: { message: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
    if (isRefusedValue(error)) return { ok: false, error: { message: REFUSED_VALUE_MESSAGE } };
    console.error("[admin] unexpected error:", describeError(error));
    return { ok: false, error: { message: "Something went wrong; nothing was saved. Try again." } };
  }
}

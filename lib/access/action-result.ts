import type { ErrorIssue } from "@/lib/errors";

/** Why a server action was refused: a message for the person, and the fields at fault when known. No server-only import: forms read these types. */
export type ActionError = { message: string; issues?: ErrorIssue[] };

/** What every server action returns (lib/access/server-action.ts). */
export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; error: ActionError };

import { AppError } from "@/lib/errors";
import { assertSameOrigin } from "./same-origin";

/*
 * What proxy.ts decides for page requests, as plain functions of the request
 * and the configuration. No "server-only" import: the proxy is bundled apart
 * from the app's server code.
 */

const HSTS = "max-age=63072000; includeSubDomains";

/** The Strict-Transport-Security value when the app's public URL (NEXTAUTH_URL) is https, else null: over http it would lock browsers out. */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  if (!publicUrl) return null;
  try {
    return new URL(publicUrl).protocol === "https:" ? HSTS : null;
  } catch {
    return null;
  }
}

/**
 * A 403 for a state-changing request to a page from another origin: the
 * server actions. Next refuses those itself, but with a 500 (or, for a
 * malformed Origin, a crash); answered here first with the same rule as the
 * API's (Origin against the forwarded host or Host), it is a plain 403.
 */
export function refuseForeignMutation(request: Request): Response | null {
  try {
    assertSameOrigin(request);
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return Response.json({ error: { code: error.code, message: "Cross-site form posts and server actions are refused; use this site's own pages" } }, { status: 403 });
  }
}

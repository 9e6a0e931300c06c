import { followPortalLink } from "@/lib/portal/follow";
import { portalErrorPage } from "@/lib/portal/error-page";
import { portalSessionCookie } from "@/lib/portal/session-cookie";
import { readPortalSettings } from "@/lib/portal/settings";
import { frameAncestorsSource } from "@/lib/portal/origins";
import { requestContextOf } from "@/lib/auth/request-context";
import { AppError } from "@/lib/errors";
import { describeError } from "@/db/errors";

/** Following a portal link (lib/portal/follow.ts): a session cookie and a redirect to the intent's page, or a page that says why not. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await params;
  try {
    const entry = await followPortalLink(token, requestContextOf(request.headers));
    const cookie = await portalSessionCookie({ sessionId: entry.sessionId, userId: entry.userId, frameAncestors: entry.frameAncestors, maxAgeSeconds: entry.sessionSeconds });
    return new Response(null, {
      status: 303,
      headers: {
        Location: entry.path,
        "Set-Cookie": cookie,
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": `default-src 'none'; frame-ancestors ${frameAncestorsSource(entry.frameAncestors)}`,
      },
    });
  } catch (error) {
    if (!(error instanceof AppError)) console.error(`[portal] a portal link could not be followed: ${describeError(error)}`);
    // The error page may show inside the vendor's iframe too, so the person learns why the portal did not open.
    const { frameOrigins } = await readPortalSettings().catch(() => ({ frameOrigins: [] as string[] }));
    return portalErrorPage(error instanceof AppError ? error : null, frameAncestorsSource(frameOrigins));
  }
}

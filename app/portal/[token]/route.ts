import { checkPortalLink, followPortalLink } from "@/lib/portal/follow";
import { portalContinuePage, portalErrorPage } from "@/lib/portal/error-page";
import { portalSessionCookie } from "@/lib/portal/session-cookie";
import { readPortalSettings } from "@/lib/portal/settings";
import { frameAncestorsSource } from "@/lib/portal/origins";
import { assertSameOrigin } from "@/lib/api/same-origin";
import { requestContextOf } from "@/lib/auth/request-context";
import { AppError } from "@/lib/errors";
import { describeError } from "@/db/errors";

type Params = { params: Promise<{ token: string }> };

/** The vendor's frame origins: these pages may show inside the vendor's iframe too, so the person learns why the portal did not open. */
const frameAncestors = async () => frameAncestorsSource((await readPortalSettings().catch(() => ({ frameOrigins: [] as string[] }))).frameOrigins);

async function refusal(error: unknown): Promise<Response> {
  if (!(error instanceof AppError)) console.error(`[portal] a portal link could not be followed: ${describeError(error)}`);
  return portalErrorPage(error instanceof AppError ? error : null, await frameAncestors());
}

/** Opening a link: a page that posts it at once (so a link preview that only fetches spends nothing), or one that says why it cannot be used. */
export async function GET(_request: Request, { params }: Params): Promise<Response> {
  const { token } = await params;
  try {
    await checkPortalLink(token);
    return portalContinuePage(token, await frameAncestors());
  } catch (error) {
    return refusal(error);
  }
}

/** Following it (lib/portal/follow.ts), from its own page only: a session cookie and a redirect to the intent's page. */
export async function POST(request: Request, { params }: Params): Promise<Response> {
  const { token } = await params;
  try {
    assertSameOrigin(request);
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
    return refusal(error);
  }
}

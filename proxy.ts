import { NextResponse, type NextRequest } from "next/server";
import { refuseForeignMutation, strictTransportSecurity } from "@/lib/api/proxy-guards";
import { portalFrameAncestors } from "@/lib/portal/frame-policy";
import { frameAncestorsSource } from "@/lib/portal/origins";

/**
 * A fresh nonce per page request for a strict Content-Security-Policy: Next.js
 * reads it from the request's CSP header and puts it on its own inline scripts,
 * so no other script can run. 'unsafe-eval' only in development (React's
 * refresh needs it); styles allow inline attributes, which Radix positions with.
 * Also: a cross-origin POST (a forged server action) is a 403 here, and HSTS is
 * sent when the app is served over https. API routes (/api, and the
 * WorkOS-compatible /audit_logs and /organizations) are not matched: they
 * check origins themselves or take API keys only (lib/api/same-origin.ts), and browsers learn HSTS
 * from the pages. A portal session (lib/portal) may be framed by the origins
 * the vendor allows and shows the vendor's logo (any https image); every other
 * page may be framed by no one. /portal/{token} sets its own headers.
 */
export async function proxy(request: NextRequest) {
  // Read per request: the public URL is set when the app starts, not when it is built.
  const hsts = strictTransportSecurity(process.env.NEXTAUTH_URL);
  const refused = refuseForeignMutation(request);
  if (refused) {
    if (hsts) refused.headers.set("Strict-Transport-Security", hsts);
    return refused;
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const development = process.env.NODE_ENV === "development";
  const portalFrames = await portalFrameAncestors(request.cookies, process.env.NEXTAUTH_SECRET);
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' blob: data:${portalFrames ? " https:" : ""}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestorsSource(portalFrames ?? [])}`,
  ].join("; ");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  // next.config.ts's X-Frame-Options: DENY would say otherwise to old browsers; browsers that know frame-ancestors ignore it.
  if (portalFrames?.length) response.headers.delete("X-Frame-Options");
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|portal/|audit_logs/|organizations/|_next/static|_next/image|favicon.ico).*)", missing: [{ type: "header", key: "next-router-prefetch" }] }],
};

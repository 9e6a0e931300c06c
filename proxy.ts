import { NextResponse, type NextRequest } from "next/server";
import { refuseForeignMutation, strictTransportSecurity } from "@/lib/api/proxy-guards";

/**
 * A fresh nonce per page request for a strict Content-Security-Policy: Next.js
 * reads it from the request's CSP header and puts it on its own inline scripts,
 * so no other script can run. 'unsafe-eval' only in development (React's
 * refresh needs it); styles allow inline attributes, which Radix positions with.
 * Also: a cross-origin POST (a forged server action) is a 403 here, and HSTS is
 * sent when the app is served over https. API routes are not matched: they
 * check origins themselves (lib/api/same-origin.ts), and browsers learn HSTS
 * from the pages.
 */
export function proxy(request: NextRequest) {
  // Read per request: the public URL is set when the app starts, not when it is built.
  const hsts = strictTransportSecurity(process.env.NEXTAUTH_URL);
  const refused = refuseForeignMutation(request);
  if (refused) {
    if (hsts) refused.headers.set("Strict-Transport-Security", hsts);
    return refused;
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const development = process.env.NODE_ENV === "development";
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)", missing: [{ type: "header", key: "next-router-prefetch" }] }],
};

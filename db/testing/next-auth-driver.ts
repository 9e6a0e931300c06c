import NextAuth, { getServerSession } from "next-auth";
import { authOptionsFor } from "@/lib/accounts/auth-options";
import { requestContextOf } from "@/lib/auth/request-context";
import { NO_REQUEST } from "@/lib/auth/request-context";

/**
 * next-auth's own HTTP flow, as e2e/session.ts and scripts use it (csrf, then
 * the credentials callback; signout), driven in-process through next-auth's
 * pages-API handler: the App Router handler reads next/headers, which needs a
 * request Next.js is serving. Cookies are kept in a jar like a browser's.
 */

// next-auth warns without it; the tests sign in at the address the requests name.
process.env.NEXTAUTH_URL ??= "http://localhost:3000";

export type CookieJar = Record<string, string>;

type Captured = { status: number; headers: Record<string, string | string[]>; body: unknown };

function response(captured: Captured) {
  const res = {
    status(code: number) {
      captured.status = code;
      return res;
    },
    setHeader(name: string, value: string | string[]) {
      captured.headers[name.toLowerCase()] = value;
      return res;
    },
    getHeader: (name: string) => captured.headers[name.toLowerCase()],
    json(body: unknown) {
      captured.body = body;
    },
    send(body: unknown) {
      captured.body = body;
    },
    end() {},
  };
  return res;
}

function keepCookies(jar: CookieJar, setCookie: string | string[] | undefined): void {
  for (const line of [setCookie ?? []].flat()) {
    const [pair, ...attributes] = line.split(";");
    const at = pair!.indexOf("=");
    const name = pair!.slice(0, at).trim();
    const value = decodeURIComponent(pair!.slice(at + 1).trim());
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()));
    if (expired || value === "") delete jar[name];
    else jar[name] = value;
  }
}

/**
 * Calls /api/auth/<route>?<query> with the jar's cookies, from `ip` (as the
 * right-most X-Forwarded-For entry, as the server sees it), with the options
 * app/api/auth/[...nextauth]/route.ts builds for such a request.
 */
export async function callNextAuth(jar: CookieJar, method: "GET" | "POST", route: string[], body?: Record<string, unknown>, ip = "203.0.113.50", query: Record<string, string> = {}): Promise<Captured> {
  const captured: Captured = { status: 200, headers: {}, body: undefined };
  const request = { method, query: { ...query, nextauth: route }, body, cookies: { ...jar }, headers: { host: "localhost:3000", "x-forwarded-for": ip, "user-agent": "vitest" } };
  await NextAuth(request as never, response(captured) as never, authOptionsFor(requestContextOf(new Headers(request.headers))));
  keepCookies(jar, captured.headers["set-cookie"]);
  return captured;
}

export async function csrfToken(jar: CookieJar): Promise<string> {
  return ((await callNextAuth(jar, "GET", ["csrf"])).body as { csrfToken: string }).csrfToken;
}

/** Signs in with email and password; the jar then holds the session cookie (if it worked). Returns where next-auth sent the browser. */
export async function signInWithPassword(jar: CookieJar, email: unknown, password: unknown, ip?: string): Promise<string> {
  const answer = await callNextAuth(jar, "POST", ["callback", "credentials"], { csrfToken: await csrfToken(jar), email, password, json: "true" }, ip);
  return (answer.body as { url: string }).url;
}

export async function signOut(jar: CookieJar): Promise<void> {
  await callNextAuth(jar, "POST", ["signout"], { csrfToken: await csrfToken(jar), json: "true" });
}

/** What next-auth's getServerSession says about these cookies (the session callback included). */
export async function serverSession(jar: CookieJar) {
  const captured: Captured = { status: 200, headers: {}, body: undefined };
  return getServerSession({ headers: { host: "localhost:3000" }, cookies: { ...jar } } as never, response(captured) as never, authOptionsFor(NO_REQUEST));
}

export const SESSION_COOKIE = "next-auth.session-token";

import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null; image?: string | null };
  }
}

declare module "next-auth/jwt" {
  /** The session cookie's content (lib/accounts/auth-options.ts): the session row's id and its user's id, nothing else. */
  interface JWT {
    sid?: string;
    uid?: string;
    /** A portal session's frame-ancestors origins (lib/portal/session-cookie.ts), read by proxy.ts; absent for any other session. */
    fa?: string[];
  }
}

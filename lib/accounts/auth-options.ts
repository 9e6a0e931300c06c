import "server-only";
import type { Account, NextAuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { describeError } from "@/db/errors";
import type { RequestContext } from "@/lib/auth/request-context";
import { TOO_MANY_ATTEMPTS } from "@/lib/auth/attempt-limits";
import { clientIp } from "@/lib/auth/client-ip";
import { OIDC_PROVIDER_ID, oidcProvider, oidcSettings } from "@/lib/auth/oidc-config";
import { signInWithOidc } from "./oidc-sign-in";
import { createSession, findLiveSession, SESSION_HOURS, type SessionMethod } from "@/lib/auth/sessions";
import { endSession } from "./sign-out";
import { authenticate } from "./sign-in";

/** The error code the sign-in page shows for anything but a refusal: never a message that could carry internals. */
const SIGN_IN_UNAVAILABLE = "SignInUnavailable";

/**
 * How a sign-in proved who it is, by its provider: OpenID Connect providers are
 * next-auth "oauth" providers, the password form is the "credentials" provider,
 * and any other provider (email, a one-time link) signs in with a link.
 */
export function sessionMethodOf(account: Pick<Account, "type" | "provider"> | null | undefined): SessionMethod {
  if (account?.type === "oauth") return "oidc";
  if (account?.type === "credentials" && account.provider === "credentials") return "password";
  return "link";
}

const passwordProvider = CredentialsProvider({
  id: "credentials",
  name: "Email and password",
  credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
  async authorize(credentials, req) {
    const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
    try {
      return await authenticate({
        email: credentials?.email,
        password: credentials?.password,
        ip: clientIp(headers),
        userAgent: headers["user-agent"] ?? null,
      });
    } catch (error) {
      // next-auth puts a thrown error's message into the sign-in page's URL.
      if (error instanceof Error && error.message === TOO_MANY_ATTEMPTS) throw error;
      console.error(`[auth] sign-in failed unexpectedly: ${describeError(error)}`);
      throw new Error(SIGN_IN_UNAVAILABLE);
    }
  },
});

/** The identity provider, when the environment configures one. */
function oidcProviders() {
  const settings = oidcSettings();
  return settings ? [oidcProvider(settings)] : [];
}

/** Where a refused or failed single sign-on lands: the login page words the code. */
const loginError = (code: string) => `/login?error=${code}`;

/**
 * next-auth's options for one request (app/api/auth/[...nextauth]/route.ts
 * builds them per request): a single sign-on's events carry the request's IP
 * address and user agent, which next-auth does not hand to its callbacks. The
 * identity provider is read from the environment here, at the request, not
 * when the module loads. The secret comes from NEXTAUTH_SECRET, which
 * lib/env.ts validates when the server starts.
 */
export const authOptionsFor = (context: RequestContext): NextAuthOptions => ({
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: "/login", error: "/login" },
  // next-auth logs errors with their messages (which can quote SQL and its parameters): codes only.
  logger: {
    error: (code, metadata) => console.error(`[next-auth] ${code}: ${describeError(metadata instanceof Error ? metadata : metadata?.error)}`),
    warn: (code) => console.warn(`[next-auth] ${code}`),
    debug: () => {},
  },
  providers: [passwordProvider, ...oidcProviders()],
  callbacks: {
    /**
     * A single sign-on is let in or refused by our rules (lib/accounts/oidc-sign-in.ts).
     * Without an adapter next-auth hands this same `user` on to the jwt
     * callback, so from here on its id is our user's, not the identity provider's subject.
     */
    async signIn({ user, account, profile }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      try {
        const result = await signInWithOidc(profile, context);
        if (!result.ok) {
          console.warn(`[auth] single sign-on refused: ${result.refusal}`);
          return loginError(result.refusal);
        }
        user.id = result.userId;
        return true;
      } catch (error) {
        console.error(`[auth] single sign-on failed unexpectedly: ${describeError(error)}`);
        return loginError(SIGN_IN_UNAVAILABLE);
      }
    },
    /**
     * At sign-in, with any provider, a session row is opened and the token
     * carries only its id and the user's id; afterwards the token is passed on
     * as it is. Name, email and role are read from the database when needed.
     */
    async jwt({ token, user, account }) {
      if (!user) return token;
      try {
        const session = await createSession(user.id, sessionMethodOf(account));
        return { sid: session.id, uid: user.id };
      } catch (error) {
        console.error(`[auth] a session could not be opened: ${describeError(error)}`);
        throw new Error(SIGN_IN_UNAVAILABLE);
      }
    },
    /** What /api/auth/session answers: the live session's user, or nothing once it was revoked or expired. */
    async session({ token }) {
      const live = await findLiveSession(token.sid);
      // An empty object is "not signed in" to getServerSession and to next-auth's browser client.
      if (!live || live.userId !== token.uid) return {} as Session;
      return { expires: live.expiresAt.toISOString(), user: { id: live.userId, name: live.name, email: live.email } };
    },
  },
  events: {
    async signOut({ token }) {
      await endSession(token?.sid);
    },
  },
});

import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authenticate, clientIp } from "./sign-in";
import { recordSignOut } from "./sign-in-events";

const SESSION_HOURS = 12;

// The secret comes from NEXTAUTH_SECRET, which lib/env.ts validates when the server starts.
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
        return authenticate({
          email: credentials?.email ?? "",
          password: credentials?.password ?? "",
          ip: clientIp(headers),
          userAgent: headers["user-agent"] ?? null,
        });
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    async session({ session, token }) {
      if (session.user && typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.uid === "string") await recordSignOut(token.uid).catch(() => {});
    },
  },
};

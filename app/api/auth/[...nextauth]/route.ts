import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptionsFor } from "@/lib/accounts/auth-options";
import { requestContextOf } from "@/lib/auth/request-context";

type Context = { params: Promise<{ nextauth: string[] }> };

// Options per request: a single sign-on's events carry the request's IP address and user agent.
const handler = (request: NextRequest, context: Context) => NextAuth(request, context, authOptionsFor(requestContextOf(request.headers)));

export { handler as GET, handler as POST };

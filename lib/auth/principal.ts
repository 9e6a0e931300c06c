import "server-only";
import { eq } from "drizzle-orm";
import { getServerSession } from "next-auth";
import { db } from "@/db/client";
import { users, type PlatformRole } from "@/db/schema";
import { unauthorized } from "@/lib/api/errors";
import { authOptions } from "./options";
import { findApiKey, type ApiKeyPrincipal } from "./api-key";

export type UserPrincipal = {
  kind: "user";
  userId: string;
  email: string;
  name: string;
  platformRole: PlatformRole | null;
};

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** The signed-in user, read from the database on every request so removals apply at once. */
export async function sessionUser(): Promise<UserPrincipal | null> {
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  if (!userId) return null;
  const [user] = await db()
    .select({ id: users.id, email: users.email, name: users.name, platformRole: users.platformRole })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return null;
  return { kind: "user", userId: user.id, email: user.email, name: user.name, platformRole: user.platformRole ?? null };
}

/** The caller of an API request: a Bearer API key if one is sent, else the session. */
export async function resolvePrincipal(request: Request): Promise<Principal> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthorized("The Authorization header must be `Bearer <api key>`");
    const key = await findApiKey(match[1]!);
    if (!key) throw unauthorized("The API key is invalid or revoked");
    return key;
  }
  const user = await sessionUser();
  if (!user) throw unauthorized();
  return user;
}

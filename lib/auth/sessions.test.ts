import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { decode, encode } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { eventsOf, TEST_CONTEXT, withFailingWrites } from "@/db/testing/app-event-assertions";
import { apiStatus, createOrg, createUser } from "@/db/testing/fixtures";
import { SESSION_COOKIE, serverSession, signInWithPassword, signOut, type CookieJar } from "@/db/testing/next-auth-driver";
import { changeMemberRole, removeMember } from "@/lib/members/members";
import { resolveOrgScope } from "@/lib/access/scope";
import { hashPassword } from "./password";
import { userOfSessionCookies } from "./principal";

const PASSWORD = "correct horse battery";
const SECRET = process.env.NEXTAUTH_SECRET!;

async function member(role: "owner" | "member" = "member") {
  const org = await createOrg();
  const user = await createUser(org.id, role, `u_${randomUUID().slice(0, 6)}`);
  await db().update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.userId));
  return { org, user };
}

async function signedIn(email: string): Promise<CookieJar> {
  const jar: CookieJar = {};
  await signInWithPassword(jar, email, PASSWORD);
  expect(jar[SESSION_COOKIE], "a session cookie").toBeTruthy();
  return jar;
}

/** Who the cookies sign in, as every page, route and action sees it (sessionUser), and as next-auth's own session endpoint does. */
async function signedInAs(jar: CookieJar): Promise<string | null> {
  const [principal, session] = await Promise.all([userOfSessionCookies(jar), serverSession(jar)]);
  expect(session?.user?.email ?? null).toBe(principal?.email ?? null);
  return principal?.email ?? null;
}

describe("sessions", () => {
  it("sign-in opens a session row; the cookie carries only its id and the user's id", async () => {
    const { user } = await member();
    const jar = await signedIn(user.email);
    expect(await signedInAs(jar)).toBe(user.email);
    const token = await decode({ token: jar[SESSION_COOKIE], secret: SECRET });
    expect(Object.keys(token!).sort()).toEqual(["exp", "iat", "jti", "sid", "uid"]);
    const [row] = await db().select().from(sessions).where(eq(sessions.id, token!.sid!));
    expect(row).toMatchObject({ userId: user.userId, method: "password", revokedAt: null });
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(12 * 3_600_000);
  });

  it("sign-out ends the session: a saved copy of the cookie no longer signs in, and the sign-out is recorded", async () => {
    const { org, user } = await member();
    const jar = await signedIn(user.email);
    const saved = { ...jar };
    await signOut(jar);
    expect(jar[SESSION_COOKIE]).toBeUndefined();
    expect(await signedInAs(saved)).toBeNull();
    expect(await eventsOf(org.id, "orgtrail.user.signed_out")).toHaveLength(1);
    // Other sessions of the same user go on.
    const other = await signedIn(user.email);
    expect(await signedInAs(other)).toBe(user.email);
  });

  it("sign-out still ends the session when its event cannot be written, and logs only the error's code", async () => {
    const { org, user } = await member();
    const jar = await signedIn(user.email);
    const saved = { ...jar };
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await withFailingWrites("audit_events", "insert", org.id, () => signOut(jar));
      expect(logged).toHaveBeenCalled();
      const lines = logged.mock.calls.flat().join("\n");
      expect(lines).toMatch(/sign-out could not be recorded/);
      expect(lines).not.toMatch(/insert|select|forced failure|@test\.test/i);
    } finally {
      logged.mockRestore();
    }
    expect(await signedInAs(saved)).toBeNull();
    expect(await eventsOf(org.id, "orgtrail.user.signed_out")).toHaveLength(0);
  });

  it("a session ends when it expires, and cookies without a session id (older ones) are refused", async () => {
    const { user } = await member();
    const jar = await signedIn(user.email);
    const token = await decode({ token: jar[SESSION_COOKIE], secret: SECRET });
    await db().update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, token!.sid!));
    expect(await signedInAs(jar)).toBeNull();
    // A later sign-in clears the user's sessions that ended over a day ago.
    await db().update(sessions).set({ expiresAt: new Date(Date.now() - 2 * 86_400_000) }).where(eq(sessions.id, token!.sid!));
    await signedIn(user.email);
    expect(await db().select().from(sessions).where(eq(sessions.id, token!.sid!))).toEqual([]);
    const legacy = await encode({ token: { uid: user.userId, sub: user.userId, email: user.email, name: user.name }, secret: SECRET });
    expect(await signedInAs({ [SESSION_COOKIE]: legacy })).toBeNull();
  });

  it("a role change and a removal apply to the very next request of a signed-in member", async () => {
    const { org, user: owner } = await member("owner");
    const user = await createUser(org.id, "member", "u_target");
    await db().update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.userId));
    const jar = await signedIn(user.email);
    const ownerScope = await resolveOrgScope(owner, org.id);
    const scopeNow = async () => resolveOrgScope((await userOfSessionCookies(jar))!, org.id);
    expect((await scopeNow()).role).toBe("member");
    await changeMemberRole(ownerScope, TEST_CONTEXT, { userId: user.userId, role: "auditor" });
    expect((await scopeNow()).role).toBe("auditor");
    await removeMember(ownerScope, TEST_CONTEXT, { userId: user.userId });
    expect(await apiStatus(scopeNow())).toBe(404);
  });

  it("a NUL or a non-string in the sign-in form gives next-auth's generic error, never internals", async () => {
    const { user } = await member();
    for (const email of [`${user.email}\u0000`, 42, { $ne: "" }, [user.email]]) {
      const jar: CookieJar = {};
      const url = await signInWithPassword(jar, email, PASSWORD);
      expect(new URL(url).searchParams.get("error"), JSON.stringify(email)).toBe("CredentialsSignin");
      expect(jar[SESSION_COOKIE]).toBeUndefined();
    }
  });

  it("names the session method by the provider that signed in", async () => {
    const { sessionMethodOf } = await import("@/lib/accounts/auth-options");
    expect(sessionMethodOf({ type: "credentials", provider: "credentials" })).toBe("password");
    expect(sessionMethodOf({ type: "oauth", provider: "company-sso" })).toBe("oidc");
    expect(sessionMethodOf({ type: "credentials", provider: "link" })).toBe("link");
  });
});

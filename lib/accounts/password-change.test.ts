import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, sql } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { countEvents, eventsOf, TEST_CONTEXT } from "@/db/testing/app-event-assertions";
import { apiStatus, createOrg, createUser, setPlatformRole } from "@/db/testing/fixtures";
import { SESSION_COOKIE, signInWithPassword, type CookieJar } from "@/db/testing/next-auth-driver";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { AppError } from "@/lib/errors";
import { changePassword, hasPassword } from "./password-change";
import { hashPassword } from "@/lib/auth/password";
import { userOfSessionCookies } from "@/lib/auth/principal";
import { httpStatus } from "@/lib/api/error-response";

const OLD = "the old password 1";
const NEW = "a brand new password 2";

async function userInTwoOrgs() {
  const [a, b] = [await createOrg(), await createOrg()];
  const user = await createUser(a.id, "member", `u_${randomUUID().slice(0, 6)}`);
  await db().insert(memberships).values({ organizationId: b.id, userId: user.userId, role: "auditor" });
  await db().update(users).set({ passwordHash: await hashPassword(OLD) }).where(eq(users.id, user.userId));
  return { a, b, user };
}

async function signedIn(email: string, password = OLD): Promise<CookieJar> {
  const jar: CookieJar = {};
  await signInWithPassword(jar, email, password);
  return jar;
}

const change = (user: Parameters<typeof changePassword>[0], input: Record<string, unknown>, ip = TEST_CONTEXT.ip) =>
  changePassword(user, { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW, ...input }, { ...TEST_CONTEXT, ip });

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string } | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof AppError) return { status: httpStatus(error), message: error.message };
    throw error;
  }
}

describe("password change", () => {
  it("with the current password: every session of the user ends (this one too), and each of their logs records it", async () => {
    const { a, b, user } = await userInTwoOrgs();
    const [here, elsewhere] = [await signedIn(user.email), await signedIn(user.email)];
    const bystander = await createUser(a.id, "member");
    await db().update(users).set({ passwordHash: await hashPassword(OLD) }).where(eq(users.id, bystander.userId));
    const bystanderJar = await signedIn(bystander.email);

    await change(user, {});

    expect(await userOfSessionCookies(here)).toBeNull();
    expect(await userOfSessionCookies(elsewhere)).toBeNull();
    expect((await userOfSessionCookies(bystanderJar))?.userId).toBe(bystander.userId);
    for (const org of [a, b]) {
      expect(await eventsOf(org.id, "orgtrail.user.password_changed")).toMatchObject([{ actor: { type: "user", metadata: { email: user.email } }, ip: TEST_CONTEXT.ip, user_agent: TEST_CONTEXT.userAgent }]);
    }
    expect((await signedIn(user.email, OLD))[SESSION_COOKIE]).toBeUndefined();
    expect(await userOfSessionCookies(await signedIn(user.email, NEW))).toMatchObject({ userId: user.userId });
  });

  it("vendor staff's change is recorded in the vendor log", async () => {
    const staff = await setPlatformRole(await createUser(null, null), "vendor_support");
    await db().update(users).set({ passwordHash: await hashPassword(OLD) }).where(eq(users.id, staff.userId));
    const vendor = await vendorOrganizationId(sql());
    await change(staff, {});
    const events = await eventsOf(vendor, "orgtrail.user.password_changed");
    expect(events.filter((e) => e.actor.metadata?.email === staff.email)).toHaveLength(1);
  });

  it("a wrong current password is a form error that changes nothing, and is limited per account and IP like sign-in", async () => {
    const { a, user } = await userInTwoOrgs();
    const jar = await signedIn(user.email);
    const before = await countEvents(a.id);
    for (let i = 0; i < 10; i++) {
      expect(await refusal(change(user, { currentPassword: `wrong ${i}` }, "192.0.2.31"))).toEqual({ status: 400, message: "The current password is not correct." });
    }
    expect(await refusal(change(user, {}, "192.0.2.31"))).toMatchObject({ status: 429 });
    expect(await userOfSessionCookies(jar)).not.toBeNull();
    expect(await countEvents(a.id)).toBe(before);
    expect(await apiStatus(change(user, {}, "192.0.2.32"))).toBe("ok");
  });

  it("checks the new password: length, confirmation, not the same as the current one", async () => {
    const { user } = await userInTwoOrgs();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ newPassword: "short", confirmPassword: "short" }, /^New password must be at least 12 characters/],
      [{ newPassword: "x".repeat(1025), confirmPassword: "x".repeat(1025) }, /^New password must be at most 1024 characters/],
      [{ confirmPassword: `${NEW}!` }, /^Confirmation does not match the new password/],
      [{ newPassword: OLD, confirmPassword: OLD }, /^New password must differ from the current password/],
      [{ currentPassword: 42 }, /^Current password/],
      [{ newPassword: null }, /^New password/],
    ];
    for (const [input, message] of cases) {
      const answer = await refusal(change(user, input));
      expect(answer, JSON.stringify(input)).toMatchObject({ status: 400 });
      expect((answer as { message: string }).message).toMatch(message);
    }
  });

  it("an account without a password (single sign-on, or not set yet) has none to change", async () => {
    const { user } = await userInTwoOrgs();
    await db().update(users).set({ passwordHash: null }).where(eq(users.id, user.userId));
    expect(await hasPassword(user.userId)).toBe(false);
    expect(await refusal(change(user, {}))).toMatchObject({ status: 409, message: expect.stringMatching(/single sign-on/) });
  });
});

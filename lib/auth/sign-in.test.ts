import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditEvents, users } from "@/db/schema";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { hashPassword } from "./password";
import { authenticate, TOO_MANY_ATTEMPTS } from "./sign-in";

const PASSWORD = "correct horse battery";

async function userWithPassword() {
  const org = await createOrg();
  const user = await createUser(org.id, "member", `u_${randomUUID().slice(0, 6)}`);
  await db().update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.userId));
  return { org, user };
}

const attempt = (email: string, password: string, ip = `198.51.100.${Math.floor(Math.random() * 250)}`) =>
  authenticate({ email, password, ip, userAgent: "vitest" });

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    return (await promise) ? "signed_in" : "refused";
  } catch (error) {
    return error instanceof Error ? error.message : "error";
  }
}

describe("sign-in", () => {
  it("signs in with the right password, case-insensitively on the email, and records it in the org log", async () => {
    const { org, user } = await userWithPassword();
    const result = await attempt(user.email.toUpperCase(), PASSWORD);
    expect(result?.id).toBe(user.userId);
    const events = await db().select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.organizationId, org.id));
    expect(events.map((e) => e.action)).toEqual(["orgtrail.user.signed_in"]);
  });

  it("answers an unknown email exactly as a wrong password, in similar time", async () => {
    const { user } = await userWithPassword();
    const unknown = `nobody-${randomUUID().slice(0, 8)}@test.test`;
    const timings: Record<string, number[]> = { wrong: [], unknown: [] };
    for (let i = 0; i < 4; i++) {
      let start = performance.now();
      expect(await attempt(user.email, "wrong password")).toBeNull();
      timings.wrong!.push(performance.now() - start);
      start = performance.now();
      expect(await attempt(unknown, "wrong password")).toBeNull();
      timings.unknown!.push(performance.now() - start);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Both pay for one scrypt; the known account also writes its failure event, so allow a generous margin.
    const [wrong, missing] = [median(timings.wrong!), median(timings.unknown!)];
    expect(missing).toBeGreaterThan(wrong * 0.3);
    expect(missing).toBeLessThan(wrong * 3);
  });

  it("records a wrong password in the account's org log, not for unknown emails", async () => {
    const { org, user } = await userWithPassword();
    await attempt(user.email, "wrong password");
    const failed = await db()
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, org.id), eq(auditEvents.action, "orgtrail.user.sign_in_failed")));
    expect(failed).toHaveLength(1);
  });

  it("locks an account after 10 failures, even for the right password and from another IP", async () => {
    const { user } = await userWithPassword();
    for (let i = 0; i < 10; i++) expect(await outcome(attempt(user.email, `wrong ${i}`))).toBe("refused");
    expect(await outcome(attempt(user.email, PASSWORD, "203.0.113.200"))).toBe(TOO_MANY_ATTEMPTS);
  });

  it("limits one IP to 50 failures across accounts, and leaves other IPs alone", async () => {
    const ip = "192.0.2.77";
    for (let i = 0; i < 50; i++) expect(await outcome(attempt(`spray-${i}-${randomUUID().slice(0, 4)}@test.test`, "guess", ip))).toBe("refused");
    const { user } = await userWithPassword();
    expect(await outcome(attempt(user.email, PASSWORD, ip))).toBe(TOO_MANY_ATTEMPTS);
    expect(await outcome(attempt(user.email, PASSWORD, "192.0.2.78"))).toBe("signed_in");
  });
});

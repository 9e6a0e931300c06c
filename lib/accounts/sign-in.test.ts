import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, sql } from "@/db/client";
import { auditEvents, users } from "@/db/schema";
import { eventsOf } from "@/db/testing/app-event-assertions";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { DUMMY_PASSWORD_HASH, hashPassword } from "@/lib/auth/password";
import { TOO_MANY_ATTEMPTS } from "@/lib/auth/attempt-limits";
import { authenticate } from "./sign-in";

const PASSWORD = "correct horse battery";

async function userWithPassword() {
  const org = await createOrg();
  const user = await createUser(org.id, "member", `u_${randomUUID().slice(0, 6)}`);
  await db().update(users).set({ passwordHash: await hashPassword(PASSWORD) }).where(eq(users.id, user.userId));
  return { org, user };
}

const randomIp = () => `198.51.100.${Math.floor(Math.random() * 250)}`;

const attempt = (email: unknown, password: unknown, ip = randomIp()) => authenticate({ email, password, ip, userAgent: "vitest" });

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    return (await promise) ? "signed_in" : "refused";
  } catch (error) {
    return error instanceof Error ? error.message : "error";
  }
}

const failuresIn = async (organizationId: string) => (await eventsOf(organizationId, "orgtrail.user.sign_in_failed")).length;

describe("sign-in", () => {
  it("signs in with the right password, case-insensitively on the email, and records it in the org log", async () => {
    const { org, user } = await userWithPassword();
    const result = await attempt(user.email.toUpperCase(), PASSWORD);
    expect(result?.id).toBe(user.userId);
    const events = await db().select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.organizationId, org.id));
    expect(events.map((e) => e.action)).toEqual(["orgtrail.user.signed_in"]);
  });

  it("records a wrong password in the account's org log, with the attempt's IP", async () => {
    const { org, user } = await userWithPassword();
    expect(await attempt(user.email, "wrong password", "192.0.2.44")).toBeNull();
    await expect.poll(() => failuresIn(org.id)).toBe(1);
    expect((await eventsOf(org.id, "orgtrail.user.sign_in_failed"))[0]).toMatchObject({ ip: "192.0.2.44", metadata: { reason: "wrong_password" } });
  });

  // Timing: the answer must not wait for anything an unknown email does not also do.
  it("answers a known account's wrong password without waiting for its failure event", async () => {
    const { org, user } = await userWithPassword();
    let answer: unknown = "no answer";
    // Holding the organization's chain head blocks every event write to its log; the answer must come anyway.
    await sql().begin(async (tx) => {
      await tx`select 1 from organizations where id = ${org.id} for update`;
      answer = await attempt(user.email, "wrong password");
      expect(await failuresIn(org.id)).toBe(0);
    });
    expect(answer).toBeNull();
    await expect.poll(() => failuresIn(org.id)).toBe(1);
  });

  it("checks an unknown email against a dummy hash of the same cost as real ones", async () => {
    const [scheme, n, r, p, salt, hash] = DUMMY_PASSWORD_HASH.split("$");
    const real = (await hashPassword("anything at all")).split("$");
    expect([scheme, n, r, p]).toEqual(real.slice(0, 4));
    expect([Buffer.from(salt!, "base64url").length, Buffer.from(hash!, "base64url").length]).toEqual([Buffer.from(real[4]!, "base64url").length, Buffer.from(real[5]!, "base64url").length]);
    expect(await attempt(`nobody-${randomUUID().slice(0, 8)}@test.test`, PASSWORD)).toBeNull();
  });

  it("refuses an account without a password (single sign-on) like a wrong password", async () => {
    const { org, user } = await userWithPassword();
    await db().update(users).set({ passwordHash: null }).where(eq(users.id, user.userId));
    expect(await outcome(attempt(user.email, PASSWORD))).toBe("refused");
    expect(await outcome(attempt(user.email, ""))).toBe("refused");
    await expect.poll(() => failuresIn(org.id)).toBe(2);
  });

  it("answers malformed input (NUL, not a string, too long) with the generic refusal, never an error", async () => {
    const { user } = await userWithPassword();
    const cases: [unknown, unknown][] = [
      [`${user.email}\u0000`, PASSWORD],
      ["a\u0000b@test.test", PASSWORD],
      [42, PASSWORD],
      [{ email: "x@test.test" }, PASSWORD],
      [[user.email], PASSWORD],
      [undefined, PASSWORD],
      [`${"a".repeat(320)}@test.test`, PASSWORD],
      [user.email, ["a", "b"]],
      [user.email, null],
      [user.email, "x".repeat(1025)],
    ];
    for (const [email, password] of cases) {
      expect(await outcome(attempt(email, password)), JSON.stringify([email, password])).toBe("refused");
    }
  });

  it("backs off a stranger's guesses at an account from their IP, and lets the owner in from another", async () => {
    const { user } = await userWithPassword();
    const stranger = "203.0.113.66";
    for (let i = 0; i < 10; i++) expect(await outcome(attempt(user.email, `guess ${i}`, stranger))).toBe("refused");
    expect(await outcome(attempt(user.email, PASSWORD, stranger))).toBe(TOO_MANY_ATTEMPTS);
    expect(await outcome(attempt(user.email, PASSWORD, "198.51.100.7"))).toBe("signed_in");
  });

  it("limits one IP to 50 failures across accounts, and leaves other IPs alone", async () => {
    const ip = "192.0.2.77";
    for (let i = 0; i < 50; i++) expect(await outcome(attempt(`spray-${i}-${randomUUID().slice(0, 4)}@test.test`, "guess", ip))).toBe("refused");
    const { user } = await userWithPassword();
    expect(await outcome(attempt(user.email, PASSWORD, ip))).toBe(TOO_MANY_ATTEMPTS);
    expect(await outcome(attempt(user.email, PASSWORD, "192.0.2.78"))).toBe("signed_in");
  });
});

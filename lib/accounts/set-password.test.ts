import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { eventsOf, TEST_CONTEXT } from "@/db/testing/app-event-assertions";
import { createOrg, createUser, setPlatformRole } from "@/db/testing/fixtures";
import { race } from "@/db/testing/race";
import { vendorOrgId } from "@/db/testing/vendor-fixtures";
import { hashOneTimeToken } from "@/lib/auth/one-time-link";
import { verifyPassword } from "@/lib/auth/password";
import { describeSetPasswordToken, issueSetPasswordToken } from "@/lib/auth/user-tokens";
import { consumeSetPasswordToken } from "./set-password";

const NEW_PASSWORD = "correct horse battery staple";

const issue = (userId: string) => sql().begin((tx) => issueSetPasswordToken(tx, userId));

async function passwordHashOf(userId: string): Promise<string | null> {
  const [row] = await sql()<{ password_hash: string | null }[]>`select password_hash from users where id = ${userId}`;
  return row!.password_hash;
}

async function openSessions(userId: string): Promise<number> {
  const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from sessions where user_id = ${userId} and revoked_at is null`;
  return Number(n);
}

describe("set-password links", () => {
  it("stores only the token's hash, sets the password once, spends the link, ends sessions and records the event in the member's log", async () => {
    const org = await createOrg();
    const user = await createUser(org.id, "member", "u_links");
    await sql()`insert into sessions (user_id, method, expires_at) values (${user.userId}, 'password', now() + interval '1 day')`;
    const link = await issue(user.userId);
    expect(link.url).toMatch(new RegExp(`/set-password/${link.token}$`));
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const stored = await sql()<{ token_hash: string; purpose: string }[]>`select token_hash, purpose from user_tokens where user_id = ${user.userId}`;
    expect(stored).toEqual([{ token_hash: hashOneTimeToken(link.token), purpose: "set_password" }]);
    expect(await describeSetPasswordToken(link.token)).toMatchObject({ state: "valid", email: user.email });

    await expect(consumeSetPasswordToken(link.token, NEW_PASSWORD, TEST_CONTEXT)).resolves.toEqual({ email: user.email });
    expect(await verifyPassword(NEW_PASSWORD, (await passwordHashOf(user.userId))!)).toBe(true);
    expect(await openSessions(user.userId)).toBe(0);
    expect(await describeSetPasswordToken(link.token)).toMatchObject({ state: "used" });
    const events = await eventsOf(org.id, "orgtrail.user.password_set");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { type: "user", id: "u_links", metadata: { email: user.email } }, metadata: { method: "link" }, ip: TEST_CONTEXT.ip });

    await expect(consumeSetPasswordToken(link.token, "another long password")).rejects.toMatchObject({ code: "not_found" });
    expect(await verifyPassword(NEW_PASSWORD, (await passwordHashOf(user.userId))!)).toBe(true);
  });

  it("a staff member's event goes to the vendor log; setting the password spends their other open links", async () => {
    const staff = await setPlatformRole(await createUser(null, null), "vendor_support");
    const older = await issue(staff.userId);
    const newer = await issue(staff.userId);
    await consumeSetPasswordToken(newer.token, NEW_PASSWORD);
    expect(await describeSetPasswordToken(older.token)).toMatchObject({ state: "used" });
    await expect(consumeSetPasswordToken(older.token, "an attacker's password")).rejects.toMatchObject({ code: "not_found" });
    const events = (await eventsOf(await vendorOrgId(), "orgtrail.user.password_set")).filter((e) => e.actor.id === staff.userId);
    expect(events).toHaveLength(1);
  });

  it("refuses an expired link, a malformed one and a short password, and changes nothing", async () => {
    const user = await createUser(null, null);
    const before = await passwordHashOf(user.userId);
    const link = await issue(user.userId);
    await expect(consumeSetPasswordToken(link.token, "too short")).rejects.toThrow("at least 12 characters");
    expect(await describeSetPasswordToken(link.token)).toMatchObject({ state: "valid" });
    await expect(consumeSetPasswordToken("not-a-token", NEW_PASSWORD)).rejects.toMatchObject({ code: "not_found" });
    expect(await describeSetPasswordToken("not-a-token")).toBeNull();

    await sql()`update user_tokens set expires_at = now() - interval '1 second' where token_hash = ${hashOneTimeToken(link.token)}`;
    expect(await describeSetPasswordToken(link.token)).toMatchObject({ state: "expired" });
    await expect(consumeSetPasswordToken(link.token, NEW_PASSWORD)).rejects.toMatchObject({ code: "not_found" });
    expect(await passwordHashOf(user.userId)).toBe(before);
  });

  it("two uses of one link at the same moment: exactly one sets the password", async () => {
    const user = await createUser(null, null);
    const link = await issue(user.userId);
    // Holding the account's row makes both uses arrive before either can finish.
    const results = await race((tx) => tx`select 1 from users where id = ${user.userId} for update`, [
      () => consumeSetPasswordToken(link.token, "first password here"),
      () => consumeSetPasswordToken(link.token, "second password here"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toMatchObject([{ reason: { code: "not_found" } }]);
  });
});

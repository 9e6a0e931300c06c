import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { eventsOf } from "@/db/testing/app-event-assertions";
import { apiStatus, createKey, createOrg, createUser, setPlatformRole } from "@/db/testing/fixtures";
import { createVendorAdmin, vendorOrgId } from "@/db/testing/vendor-fixtures";
import { findOrganization } from "@/lib/access/scope";
import { activeSupportGrant } from "@/lib/access/support";
import { openSupportAccess } from "@/lib/support/support-access";
import type { UserPrincipal } from "@/lib/auth/principal";
import { consumeSetPasswordToken } from "@/lib/accounts/set-password";
import { describeSetPasswordToken } from "@/lib/auth/user-tokens";
import { changeStaffRole, inviteStaff, listStaff, removeStaff, resendStaffLink } from "./staff";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";

const email = () => `staff-${randomUUID().slice(0, 8)}@vendor.test`;
const tokenOf = (url: string) => url.split("/set-password/")[1]!;
const REASON = "Ticket #5120: checking the customer's sign-in events";

async function userRow(id: string) {
  const [row] = await sql()<{ platform_role: string | null; password_hash: string | null }[]>`select platform_role, password_hash from users where id = ${id}`;
  return row!;
}

async function adminCount(): Promise<number> {
  const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from users where platform_role = 'vendor_admin'`;
  return Number(n);
}

const eventsAbout = async (action: string, userId: string) => (await eventsOf(await vendorOrgId(), action)).filter((e) => e.targets[0]?.id === userId);

/**
 * Runs `fn` with these accounts as the only vendor admins (the test database has
 * others, the demo admin among them), and gives the others their role back after.
 */
async function withOnlyAdmins<T>(admins: UserPrincipal[], fn: () => Promise<T>): Promise<T> {
  const ids = admins.map((a) => a.userId);
  const others = await sql()<{ id: string }[]>`update users set platform_role = null where platform_role = 'vendor_admin' and id <> all(${ids}::uuid[]) returning id`;
  try {
    return await fn();
  } finally {
    await sql()`update users set platform_role = 'vendor_admin' where id = any(${others.map((o) => o.id)}::uuid[])`;
  }
}

describe("vendor staff in the console", () => {
  it("invites a new person: an account without a password, a set-password link returned once, and one event in the vendor log", async () => {
    const adminUser = await createVendorAdmin();
    const admin = requireVendorPermission(adminUser, "staff.manage");
    const address = email();
    const invited = await inviteStaff(admin, { email: ` ${address.toUpperCase()} `, name: "Sam Support", role: "vendor_support" });
    expect(invited).toMatchObject({ email: address, role: "vendor_support", existingAccount: false });
    expect(invited.link?.url).toMatch(/\/set-password\/[A-Za-z0-9_-]{43}$/);

    expect(await userRow(invited.userId)).toEqual({ platform_role: "vendor_support", password_hash: null });
    // Only the token's hash is stored.
    const token = tokenOf(invited.link!.url);
    const stored = await sql()<{ token_hash: string }[]>`select token_hash from user_tokens where user_id = ${invited.userId}`;
    expect(stored.map((r) => r.token_hash)).toEqual([createHash("sha256").update(token).digest("hex")]);
    expect(await describeSetPasswordToken(token)).toMatchObject({ state: "valid", email: address });

    expect((await listStaff()).find((s) => s.id === invited.userId)).toMatchObject({ email: address, name: "Sam Support", role: "vendor_support", lastSignInAt: null, pending: true });

    const events = await eventsAbout("orgtrail.staff.invited", invited.userId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { type: "user", id: adminUser.userId, metadata: { email: adminUser.email } },
      targets: [{ type: "user", id: invited.userId, name: "Sam Support", metadata: { email: address } }],
      metadata: { email: address, role: "vendor_support", existing_account: false, link_expires_at: invited.link!.expiresAt },
    });
    expect(JSON.stringify(events[0])).not.toContain(token);

    // Inviting the same person again changes nothing.
    await expect(inviteStaff(admin, { email: address, name: "Sam again", role: "vendor_admin" })).rejects.toMatchObject({ code: "conflict", issues: [{ path: "email" }] });
    expect(await userRow(invited.userId)).toMatchObject({ platform_role: "vendor_support" });
  });

  it("refuses a bad form with its issues and writes nothing", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "staff.manage");
    await expect(inviteStaff(admin, { email: "not an email", name: " ", role: "owner" })).rejects.toMatchObject({
      code: "validation_failed",
      issues: [{ path: "email" }, { path: "name" }, { path: "role" }],
    });
  });

  it("gives a customer's existing account a staff role only when confirmed, keeping its password and making no link", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "staff.manage");
    const org = await createOrg();
    const customer = await createUser(org.id, "auditor");
    const input = { email: customer.email, name: "Ignored", role: "vendor_support" };
    await expect(inviteStaff(admin, input)).rejects.toMatchObject({ code: "conflict", issues: [{ path: "confirmExistingAccount" }] });
    expect(await userRow(customer.userId)).toEqual({ platform_role: null, password_hash: "x" });
    expect(await eventsAbout("orgtrail.staff.invited", customer.userId)).toHaveLength(0);

    const invited = await inviteStaff(admin, { ...input, confirmExistingAccount: true });
    expect(invited).toMatchObject({ userId: customer.userId, existingAccount: true, link: null });
    expect(await userRow(customer.userId)).toEqual({ platform_role: "vendor_support", password_hash: "x" });
    expect((await eventsAbout("orgtrail.staff.invited", customer.userId))[0]!.metadata).toEqual({ email: customer.email, role: "vendor_support", existing_account: true });
  });

  it("changes a role with an event; a support engineer who stops being one loses their open grants", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "staff.manage");
    const support = await setPlatformRole(await createUser(null, null), "vendor_support");
    const organization = (await findOrganization((await createOrg()).slug))!;
    await openSupportAccess(support, organization, REASON, { ip: null, userAgent: null });

    expect(await changeStaffRole(admin, support.userId, { role: "vendor_admin" })).toEqual({ changed: true, self: false });
    expect(await userRow(support.userId)).toMatchObject({ platform_role: "vendor_admin" });
    expect(await activeSupportGrant(support.userId, organization.id)).toBeNull();
    expect(await changeStaffRole(admin, support.userId, { role: "vendor_admin" })).toEqual({ changed: false, self: false });
    const events = await eventsAbout("orgtrail.staff.role_changed", support.userId);
    expect(events.map((e) => e.metadata)).toEqual([{ role_from: "vendor_support", role_to: "vendor_admin" }]);

    await expect(changeStaffRole(admin, support.userId, { role: "owner" })).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "role" }] });
    // Only staff are managed here: a customer account or an unknown id is not found.
    const customer = await createUser((await createOrg()).id, "owner");
    expect(await apiStatus(changeStaffRole(admin, customer.userId, { role: "vendor_admin" }))).toBe(404);
    expect(await apiStatus(removeStaff(admin, randomUUID()))).toBe(404);
    expect(await apiStatus(removeStaff(admin, "not-a-uuid"))).toBe(404);
    expect(await userRow(customer.userId)).toMatchObject({ platform_role: null });
  });

  it("removes the staff role and keeps the account, with an event", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "staff.manage");
    const org = await createOrg();
    const support = await setPlatformRole(await createUser(org.id, "member"), "vendor_support");
    expect(await removeStaff(admin, support.userId)).toEqual({ self: false });
    expect(await userRow(support.userId)).toEqual({ platform_role: null, password_hash: "x" });
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from memberships where user_id = ${support.userId}`;
    expect(Number(n)).toBe(1);
    expect((await eventsAbout("orgtrail.staff.removed", support.userId)).map((e) => e.metadata)).toEqual([{ role: "vendor_support" }]);
    expect(await apiStatus(removeStaff(admin, support.userId))).toBe(404);
  });

  it("the last vendor admin can be neither demoted nor removed, not even by themself", async () => {
    const lastUser = await createVendorAdmin();
    const last = requireVendorPermission(lastUser, "staff.manage");
    await withOnlyAdmins([lastUser], async () => {
      await expect(changeStaffRole(last, lastUser.userId, { role: "vendor_support" })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("You are the last vendor admin") });
      await expect(removeStaff(last, lastUser.userId)).rejects.toMatchObject({ code: "conflict" });
      expect(await userRow(lastUser.userId)).toMatchObject({ platform_role: "vendor_admin" });
      expect(await eventsAbout("orgtrail.staff.role_changed", lastUser.userId)).toHaveLength(0);
      expect(await eventsAbout("orgtrail.staff.removed", lastUser.userId)).toHaveLength(0);

      // With a second admin, either may step down.
      const second = await createVendorAdmin();
      expect(await changeStaffRole(last, lastUser.userId, { role: "vendor_support" })).toEqual({ changed: true, self: true });
      await expect(removeStaff(requireVendorPermission(second, "staff.manage"), second.userId)).rejects.toMatchObject({ code: "conflict" });
      expect(await adminCount()).toBe(1);
    });
  });

  it("two admins demoting each other at the same moment leave one admin, never none", async () => {
    for (let round = 0; round < 8; round++) {
      const a = await createVendorAdmin();
      const b = await createVendorAdmin();
      await withOnlyAdmins([a, b], async () => {
        const results = await Promise.allSettled([
          changeStaffRole(requireVendorPermission(a, "staff.manage"), b.userId, { role: "vendor_support" }),
          round % 2 === 0
            ? changeStaffRole(requireVendorPermission(b, "staff.manage"), a.userId, { role: "vendor_support" })
            : removeStaff(requireVendorPermission(b, "staff.manage"), a.userId),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
        const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        expect(refused.reason).toMatchObject({ code: "conflict" });
        expect(await adminCount()).toBe(1);
      });
    }
  });

  it("a new link for a pending staff member spends the old one; none once they have set a password", async () => {
    const adminUser = await createVendorAdmin();
    const admin = requireVendorPermission(adminUser, "staff.manage");
    const invited = await inviteStaff(admin, { email: email(), name: "Pat Pending", role: "vendor_support" });
    const first = tokenOf(invited.link!.url);
    const again = await resendStaffLink(admin, invited.userId);
    expect(tokenOf(again.url)).not.toBe(first);
    expect(await describeSetPasswordToken(first)).toMatchObject({ state: "expired" });
    expect(await describeSetPasswordToken(tokenOf(again.url))).toMatchObject({ state: "valid" });
    expect((await eventsAbout("orgtrail.staff.invite_resent", invited.userId)).map((e) => e.metadata)).toEqual([{ email: invited.email, link_expires_at: again.expiresAt }]);

    await consumeSetPasswordToken(tokenOf(again.url), "a long enough passphrase 42");
    expect((await listStaff()).find((s) => s.id === invited.userId)?.pending).toBe(false);
    expect(await apiStatus(resendStaffLink(admin, invited.userId))).toBe(409);
    // A customer's account that was made staff never gets a link from an admin.
    const customer = await createUser((await createOrg()).id, "member");
    await sql()`update users set password_hash = null where id = ${customer.userId}`;
    await inviteStaff(admin, { email: customer.email, name: "x", role: "vendor_support", confirmExistingAccount: true });
    expect(await apiStatus(resendStaffLink(admin, customer.userId))).toBe(409);
  });

  it("only vendor admins manage staff: support staff, customers and vendor API keys are refused with 404", async () => {
    const support = await setPlatformRole(await createUser(null, null), "vendor_support");
    const owner = await createUser((await createOrg()).id, "owner");
    const vendorKey = await createKey(null, ["events:write", "events:read", "exports:write", "schemas:write"]);
    for (const principal of [support, owner, vendorKey.principal]) {
      expect(() => requireVendorPermission(principal, "staff.manage")).toThrow(expect.objectContaining({ code: "not_found" }));
    }
  });
});

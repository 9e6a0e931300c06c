import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createOrg, createUser, setPlatformRole, apiStatus as status } from "@/db/testing/fixtures";
import { TEST_CONTEXT, countEvents, eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { AppError } from "@/lib/errors";
import { changeMemberRole, listMembers, removeMember, setMemberExternalId } from "./members";
import { resolveOrgScope } from "@/lib/access/scope";
import { httpStatus } from "@/lib/api/error-response";

async function roleOf(organizationId: string, userId: string): Promise<string | null> {
  const [row] = await sql()<{ role: string }[]>`select role from memberships where organization_id = ${organizationId} and user_id = ${userId}`;
  return row?.role ?? null;
}

async function orgWithOwner() {
  const org = await createOrg();
  const owner = await createUser(org.id, "owner", "u_owner");
  return { org, owner, ownerScope: await resolveOrgScope(owner, org.slug) };
}

const ownerActor = (owner: { userId: string; email: string }) => ({ type: "user", id: "u_owner", name: "Test User", metadata: { email: owner.email } });

describe("members", () => {
  it("lists members with role and external id", async () => {
    const { org, owner, ownerScope } = await orgWithOwner();
    const member = await createUser(org.id, "member", "u_m");
    const rows = await listMembers(ownerScope);
    expect(rows.map((r) => [r.userId, r.role, r.externalId])).toEqual([
      [owner.userId, "owner", "u_owner"],
      [member.userId, "member", "u_m"],
    ]);
  });

  it("changing a role records exactly one orgtrail.member.role_changed with actor, target, IP and user agent", async () => {
    const { org, owner, ownerScope } = await orgWithOwner();
    const member = await createUser(org.id, "member", "u_m");
    await changeMemberRole(ownerScope, TEST_CONTEXT, { userId: member.userId, role: "auditor" });
    expect(await roleOf(org.id, member.userId)).toBe("auditor");
    const events = await eventsOf(org.id, "orgtrail.member.role_changed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: ownerActor(owner),
      targets: [{ type: "user", id: "u_m", name: "Test User", metadata: { email: member.email } }],
      metadata: { role_from: "member", role_to: "auditor" },
      ip: TEST_CONTEXT.ip,
      user_agent: TEST_CONTEXT.userAgent,
    });
    expect(events[0]!.version).toBeGreaterThanOrEqual(1);
  });

  it("removing a member records orgtrail.member.removed; a member without an external id appears by user id", async () => {
    const { org, owner, ownerScope } = await orgWithOwner();
    const member = await createUser(org.id, "admin");
    await removeMember(ownerScope, TEST_CONTEXT, { userId: member.userId });
    expect(await roleOf(org.id, member.userId)).toBeNull();
    const events = await eventsOf(org.id, "orgtrail.member.removed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: ownerActor(owner), targets: [{ type: "user", id: member.userId }], metadata: { role: "admin" } });
  });

  it("editing an external id records the change; a taken id is a 409 and changes nothing", async () => {
    const { org, ownerScope } = await orgWithOwner();
    const member = await createUser(org.id, "member", "u_old");
    await setMemberExternalId(ownerScope, TEST_CONTEXT, { userId: member.userId, externalId: " u_new " });
    const events = await eventsOf(org.id, "orgtrail.member.external_id_changed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targets: [{ type: "user", id: "u_new" }], metadata: { external_id_from: "u_old", external_id_to: "u_new" } });

    const before = await countEvents(org.id);
    const error = await setMemberExternalId(ownerScope, TEST_CONTEXT, { userId: member.userId, externalId: "u_owner" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(httpStatus((error as AppError))).toBe(409);
    expect((error as AppError).message).toContain("u_owner");
    expect(await countEvents(org.id)).toBe(before);

    await setMemberExternalId(ownerScope, TEST_CONTEXT, { userId: member.userId, externalId: "" });
    const [row] = await sql()<{ external_id: string | null }[]>`select external_id from memberships where organization_id = ${org.id} and user_id = ${member.userId}`;
    expect(row!.external_id).toBeNull();
    expect((await eventsOf(org.id, "orgtrail.member.external_id_changed")).at(-1)).toMatchObject({ targets: [{ id: member.userId }], metadata: { external_id_from: "u_new" } });
  });

  it("the last owner can be neither demoted nor removed, and an admin cannot touch owners", async () => {
    const { org, owner, ownerScope } = await orgWithOwner();
    expect(await status(changeMemberRole(ownerScope, TEST_CONTEXT, { userId: owner.userId, role: "admin" }))).toBe(409);
    expect(await status(removeMember(ownerScope, TEST_CONTEXT, { userId: owner.userId }))).toBe(409);
    expect(await roleOf(org.id, owner.userId)).toBe("owner");
    const admin = await createUser(org.id, "admin");
    const adminScope = await resolveOrgScope(admin, org.slug);
    const second = await createUser(org.id, "owner");
    expect(await status(removeMember(adminScope, TEST_CONTEXT, { userId: second.userId }))).toBe(403);
    expect(await status(changeMemberRole(adminScope, TEST_CONTEXT, { userId: admin.userId, role: "owner" }))).toBe(403);
    expect(await eventsOf(org.id, "orgtrail.member.removed")).toHaveLength(0);
    // With two owners, one may step down.
    await changeMemberRole(ownerScope, TEST_CONTEXT, { userId: owner.userId, role: "admin" });
    expect(await roleOf(org.id, owner.userId)).toBe("admin");
  });

  it("two owners demoting or removing each other at once leave exactly one owner", async () => {
    for (let round = 0; round < 5; round++) {
      const org = await createOrg();
      const a = await createUser(org.id, "owner");
      const b = await createUser(org.id, "owner");
      const [scopeA, scopeB] = await Promise.all([resolveOrgScope(a, org.slug), resolveOrgScope(b, org.slug)]);
      const results = await Promise.allSettled([
        changeMemberRole(scopeA, TEST_CONTEXT, { userId: b.userId, role: "member" }),
        round % 2 ? removeMember(scopeB, TEST_CONTEXT, { userId: a.userId }) : changeMemberRole(scopeB, TEST_CONTEXT, { userId: a.userId, role: "auditor" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(httpStatus((rejected.reason as AppError))).toBe(409);
      const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from memberships where organization_id = ${org.id} and role = 'owner'`;
      expect(Number(n)).toBe(1);
    }
  });

  it("a failed change writes no event, and a failed event write leaves no change", async () => {
    const { org, ownerScope } = await orgWithOwner();
    const member = await createUser(org.id, "member", "u_m");
    const before = await countEvents(org.id);
    await expect(withFailingWrites("memberships", "update", org.id, () => changeMemberRole(ownerScope, TEST_CONTEXT, { userId: member.userId, role: "admin" }))).rejects.toThrow();
    await expect(withFailingWrites("memberships", "delete", org.id, () => removeMember(ownerScope, TEST_CONTEXT, { userId: member.userId }))).rejects.toThrow();
    expect(await countEvents(org.id)).toBe(before);

    await expect(withFailingWrites("audit_events", "insert", org.id, () => changeMemberRole(ownerScope, TEST_CONTEXT, { userId: member.userId, role: "admin" }))).rejects.toThrow();
    await expect(withFailingWrites("audit_events", "insert", org.id, () => removeMember(ownerScope, TEST_CONTEXT, { userId: member.userId }))).rejects.toThrow();
    await expect(withFailingWrites("audit_events", "insert", org.id, () => setMemberExternalId(ownerScope, TEST_CONTEXT, { userId: member.userId, externalId: "u_x" }))).rejects.toThrow();
    expect(await roleOf(org.id, member.userId)).toBe("member");
    const [row] = await sql()<{ external_id: string }[]>`select external_id from memberships where organization_id = ${org.id} and user_id = ${member.userId}`;
    expect(row!.external_id).toBe("u_m");
    expect(await countEvents(org.id)).toBe(before);
  });

  it("only members.manage may manage members: 403 for auditor and member, 404 for a vendor admin and strangers", async () => {
    const { org, owner } = await orgWithOwner();
    const cases: [() => Promise<unknown>, number][] = [];
    for (const role of ["auditor", "member"] as const) {
      const scope = await resolveOrgScope(await createUser(org.id, role, `u_${role}`), org.slug);
      cases.push([() => listMembers(scope), 403], [() => changeMemberRole(scope, TEST_CONTEXT, { userId: owner.userId, role: "member" }), 403]);
      cases.push([() => removeMember(scope, TEST_CONTEXT, { userId: owner.userId }), 403], [() => setMemberExternalId(scope, TEST_CONTEXT, { userId: owner.userId, externalId: "x" }), 403]);
    }
    const vendorAdmin = await resolveOrgScope(await setPlatformRole(await createUser(null, null), "vendor_admin"), org.slug);
    cases.push([() => listMembers(vendorAdmin), 404], [() => removeMember(vendorAdmin, TEST_CONTEXT, { userId: owner.userId }), 404]);
    for (const [run, expected] of cases) expect(await status(run())).toBe(expected);
    expect(await status(resolveOrgScope(await createUser((await createOrg()).id, "owner"), org.slug))).toBe(404);
    expect(await roleOf(org.id, owner.userId)).toBe("owner");
  });
});

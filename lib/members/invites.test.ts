import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { TEST_CONTEXT, countEvents, eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { AppError } from "@/lib/errors";
import { verifyPassword } from "@/lib/auth/password";
import { acceptInvite, createInvite, describeInvite, listPendingInvites, revokeInvite } from "./invites";
import { hashInviteToken } from "./invite-token";
import { resolveOrgScope } from "@/lib/access/scope";
import { httpStatus } from "@/lib/api/error-response";

const tokenOf = (path: string) => path.replace("/invite/", "");

async function orgWithOwner() {
  const org = await createOrg();
  const owner = await createUser(org.id, "owner", "u_owner");
  return { org, owner, scope: await resolveOrgScope(owner, org.slug) };
}

async function apiStatus(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppError)) throw error ?? new Error("expected an AppError");
  return httpStatus(error);
}

describe("invites", () => {
  it("an invite stores only the token's hash, is listed as pending and records orgtrail.member.invited", async () => {
    const { org, owner, scope } = await orgWithOwner();
    const invite = await createInvite(scope, TEST_CONTEXT, { email: " New.Person@Example.test ", role: "admin", externalId: "u_new" });
    const token = tokenOf(invite.path);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await sql()<{ token_hash: string; email: string }[]>`select token_hash, email from invites where organization_id = ${org.id}`;
    expect(row).toEqual({ token_hash: hashInviteToken(token), email: "new.person@example.test" });
    expect((await listPendingInvites(scope)).map((i) => [i.email, i.role, i.externalId])).toEqual([["new.person@example.test", "admin", "u_new"]]);
    const events = await eventsOf(org.id, "orgtrail.member.invited");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { type: "user", id: "u_owner", metadata: { email: owner.email } },
      targets: [{ type: "invite", id: invite.id }, { type: "user", id: "u_new", metadata: { email: "new.person@example.test" } }],
      metadata: { email: "new.person@example.test", role: "admin", external_id: "u_new" },
      ip: TEST_CONTEXT.ip,
    });
  });

  it("a new person sets a password and joins: orgtrail.member.joined, and the link cannot be used twice", async () => {
    const { org, scope } = await orgWithOwner();
    const email = `new-${org.slug}@example.test`;
    const invite = await createInvite(scope, TEST_CONTEXT, { email, role: "auditor", externalId: "u_aud" });
    const token = tokenOf(invite.path);
    expect(await describeInvite(token)).toMatchObject({ state: "valid", email, role: "auditor", accountExists: false, organization: { slug: org.slug } });
    await expect(acceptInvite(token, { kind: "new", name: "Nina", password: "short" }, TEST_CONTEXT)).rejects.toThrow("at least 12 characters");
    const joined = await acceptInvite(token, { kind: "new", name: "Nina New", password: "a long enough password" }, TEST_CONTEXT);
    expect(joined.organizationSlug).toBe(org.slug);
    const [user] = await sql()<{ id: string; password_hash: string; role: string; external_id: string }[]>`
      select u.id, u.password_hash, m.role, m.external_id from users u join memberships m on m.user_id = u.id and m.organization_id = ${org.id} where u.email = ${email}`;
    expect(user).toMatchObject({ role: "auditor", external_id: "u_aud" });
    expect(await verifyPassword("a long enough password", user!.password_hash)).toBe(true);
    const events = await eventsOf(org.id, "orgtrail.member.joined");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { type: "user", id: "u_aud", name: "Nina New", metadata: { email } },
      targets: [{ type: "user", id: "u_aud" }, { type: "invite", id: invite.id }],
      metadata: { role: "auditor", new_account: true },
    });
    expect((await describeInvite(token))?.state).toBe("accepted");
    expect(await apiStatus(acceptInvite(token, { kind: "existing", userId: user!.id }, TEST_CONTEXT))).toBe(409);
    expect(await listPendingInvites(scope)).toEqual([]);
  });

  it("an existing account joins only as the invited email", async () => {
    const { org, scope } = await orgWithOwner();
    const other = await createOrg();
    const person = await createUser(other.id, "member");
    const stranger = await createUser(other.id, "member");
    const invite = await createInvite(scope, TEST_CONTEXT, { email: person.email, role: "member" });
    const token = tokenOf(invite.path);
    expect((await describeInvite(token))?.accountExists).toBe(true);
    expect(await apiStatus(acceptInvite(token, { kind: "existing", userId: stranger.userId }, TEST_CONTEXT))).toBe(403);
    expect(await apiStatus(acceptInvite(token, { kind: "new", name: "Impostor", password: "a long enough password" }, TEST_CONTEXT))).toBe(409);
    await acceptInvite(token, { kind: "existing", userId: person.userId }, TEST_CONTEXT);
    const events = await eventsOf(org.id, "orgtrail.member.joined");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { type: "user", id: person.userId }, metadata: { role: "member", new_account: false } });
  });

  it("revoked, expired, unknown and malformed tokens do not join", async () => {
    const { org, scope } = await orgWithOwner();
    const revoked = await createInvite(scope, TEST_CONTEXT, { email: "r@example.test", role: "member" });
    await revokeInvite(scope, TEST_CONTEXT, { inviteId: revoked.id });
    expect(await eventsOf(org.id, "orgtrail.member.invite_revoked")).toHaveLength(1);
    expect(await apiStatus(acceptInvite(tokenOf(revoked.path), { kind: "new", name: "R", password: "a long enough password" }, TEST_CONTEXT))).toBe(410);
    const expired = await createInvite(scope, TEST_CONTEXT, { email: "e@example.test", role: "member" });
    await sql()`update invites set expires_at = now() - interval '1 minute' where organization_id = ${org.id} and id = ${expired.id}`;
    expect((await describeInvite(tokenOf(expired.path)))?.state).toBe("expired");
    expect(await apiStatus(acceptInvite(tokenOf(expired.path), { kind: "new", name: "E", password: "a long enough password" }, TEST_CONTEXT))).toBe(410);
    expect(await describeInvite("A".repeat(43))).toBeNull();
    expect(await describeInvite("../etc")).toBeNull();
    expect(await apiStatus(acceptInvite("nope", { kind: "new", name: "N", password: "a long enough password" }, TEST_CONTEXT))).toBe(404);
    expect(await eventsOf(org.id, "orgtrail.member.joined")).toHaveLength(0);
  });

  it("re-inviting replaces the pending invite; members, owners by admins and taken external ids are refused", async () => {
    const { org, owner, scope } = await orgWithOwner();
    const first = await createInvite(scope, TEST_CONTEXT, { email: "x@example.test", role: "member" });
    await createInvite(scope, TEST_CONTEXT, { email: "x@example.test", role: "admin" });
    expect((await describeInvite(tokenOf(first.path)))?.state).toBe("revoked");
    expect((await listPendingInvites(scope)).map((i) => i.role)).toEqual(["admin"]);
    expect(await apiStatus(createInvite(scope, TEST_CONTEXT, { email: owner.email, role: "member" }))).toBe(409);
    expect(await apiStatus(createInvite(scope, TEST_CONTEXT, { email: "y@example.test", role: "member", externalId: "u_owner" }))).toBe(409);
    const adminScope = await resolveOrgScope(await createUser(org.id, "admin"), org.slug);
    expect(await apiStatus(createInvite(adminScope, TEST_CONTEXT, { email: "z@example.test", role: "owner" }))).toBe(403);
    await expect(createInvite(scope, TEST_CONTEXT, { email: "not an email", role: "member" })).rejects.toThrow();
    for (const role of ["auditor", "member"] as const) {
      const weak = await resolveOrgScope(await createUser(org.id, role, `u_${role}`), org.slug);
      expect(await apiStatus(createInvite(weak, TEST_CONTEXT, { email: "w@example.test", role: "member" }))).toBe(403);
      expect(await apiStatus(listPendingInvites(weak))).toBe(403);
      expect(await apiStatus(revokeInvite(weak, TEST_CONTEXT, { inviteId: first.id }))).toBe(403);
    }
  });

  it("a failed invite or join writes no event, and a failed event write leaves no invite or membership", async () => {
    const { org, scope } = await orgWithOwner();
    const before = await countEvents(org.id);
    await expect(withFailingWrites("invites", "insert", org.id, () => createInvite(scope, TEST_CONTEXT, { email: "f@example.test", role: "member" }))).rejects.toThrow();
    expect(await countEvents(org.id)).toBe(before);
    await expect(withFailingWrites("audit_events", "insert", org.id, () => createInvite(scope, TEST_CONTEXT, { email: "f@example.test", role: "member" }))).rejects.toThrow();
    expect(await listPendingInvites(scope)).toEqual([]);

    const invite = await createInvite(scope, TEST_CONTEXT, { email: "g@example.test", role: "member" });
    const token = tokenOf(invite.path);
    const afterInvite = await countEvents(org.id);
    await expect(withFailingWrites("memberships", "insert", org.id, () => acceptInvite(token, { kind: "new", name: "G", password: "a long enough password" }, TEST_CONTEXT))).rejects.toThrow();
    expect(await countEvents(org.id)).toBe(afterInvite);
    await expect(withFailingWrites("audit_events", "insert", org.id, () => acceptInvite(token, { kind: "new", name: "G", password: "a long enough password" }, TEST_CONTEXT))).rejects.toThrow();
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from users where email = 'g@example.test'`;
    expect(Number(n)).toBe(0);
    expect((await describeInvite(token))?.state).toBe("valid");
    await expect(withFailingWrites("audit_events", "insert", org.id, () => revokeInvite(scope, TEST_CONTEXT, { inviteId: invite.id }))).rejects.toThrow();
    expect((await describeInvite(token))?.state).toBe("valid");
  });
});

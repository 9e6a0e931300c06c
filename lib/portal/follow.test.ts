import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { POST as ingest } from "@/app/api/v1/events/route";
import { eventsOf } from "@/db/testing/app-event-assertions";
import { createKey, createOrg, createUser, event, setPlatformRole } from "@/db/testing/fixtures";
import { createPortalKey, setPortalSettings, tokenOf } from "@/db/testing/portal-fixtures";
import { race } from "@/db/testing/race";
import { resolveOrgScope } from "@/lib/access/scope";
import { hasVendorPermission } from "@/lib/access/vendor-permissions";
import { userOfSessionCookies } from "@/lib/auth/principal";
import { hashOneTimeToken } from "@/lib/auth/one-time-link";
import { AppError } from "@/lib/errors";
import { eventsAfterSeq } from "@/lib/events/search";
import { EXPIRED_LINK, followPortalLink, UNKNOWN_LINK, USED_LINK } from "./follow";
import { createPortalLink, portalLinkInput } from "./links";
import { portalSessionCookie } from "./session-cookie";

const CONTEXT = { ip: "198.51.100.7", userAgent: "vitest-portal" };

async function link(org: { id: string }, overrides: Record<string, unknown> = {}): Promise<string> {
  const { principal } = await createPortalKey();
  const person = crypto.randomUUID().slice(0, 8);
  const input = portalLinkInput.parse({ organization_id: org.id, user: { id: `u_${person}`, email: `p-${person}@customer.test`, name: "Pat Portal" }, role: "auditor", intent: "audit_logs", ...overrides });
  return tokenOf((await createPortalLink(principal, input, CONTEXT)).link);
}

/** The principal of a portal session, through its cookie, as every request resolves it. */
async function principalOf(entry: { sessionId: string; userId: string; frameAncestors: string[]; sessionSeconds: number }) {
  const cookie = await portalSessionCookie({ ...entry, maxAgeSeconds: entry.sessionSeconds });
  const [pair] = cookie.split(";");
  const at = pair!.indexOf("=");
  return userOfSessionCookies({ [pair!.slice(0, at)]: pair!.slice(at + 1) });
}

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return null;
  } catch (error) {
    return error instanceof AppError ? { code: error.code, message: error.message } : error;
  }
};

beforeAll(() => setPortalSettings({ frameOrigins: ["http://127.0.0.1:4100"], sessionMinutes: 30 }));

describe("following a portal link", () => {
  it("signs the person in to that organization with the link's role, a new account without a password, and records the sign-in there", async () => {
    const org = await createOrg();
    const email = "new-person@customer.test";
    await sql()`delete from users where email = ${email}`;
    const token = await link(org, { user: { id: "u_new", email, name: "New Person" }, role: "admin", intent: "log_streams" });
    const entry = await followPortalLink(token, CONTEXT);
    expect(entry.path).toBe(`/orgs/${org.slug}/settings/log-streams`);
    expect(entry.frameAncestors).toEqual(["http://127.0.0.1:4100"]);
    expect(entry.sessionSeconds).toBe(30 * 60);
    expect(entry.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(entry.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 5000);

    const [user] = await sql()<{ id: string; name: string; password_hash: string | null }[]>`select id, name, password_hash from users where email = ${email}`;
    expect(user).toMatchObject({ id: entry.userId, name: "New Person", password_hash: null });
    const [membership] = await sql()<{ role: string; external_id: string }[]>`select role, external_id from memberships where organization_id = ${org.id} and user_id = ${user!.id}`;
    expect(membership).toEqual({ role: "admin", external_id: "u_new" });
    const [session] = await sql()<{ method: string; organization_id: string }[]>`select method, organization_id from sessions where id = ${entry.sessionId}`;
    expect(session).toEqual({ method: "portal_link", organization_id: org.id });

    const [signedIn] = await eventsOf(org.id, "orgtrail.user.signed_in");
    expect(signedIn).toMatchObject({ actor: { type: "user", id: "u_new", name: "New Person", metadata: { email } }, metadata: { method: "portal_link" }, ip: "198.51.100.7", user_agent: "vitest-portal" });
    const [joined] = await eventsOf(org.id, "orgtrail.member.joined");
    expect(joined).toMatchObject({ actor: { type: "api_key" }, targets: [{ type: "user", id: "u_new" }], metadata: { role: "admin", new_account: true, method: "portal_link" } });

    const principal = await principalOf(entry);
    expect(principal).toMatchObject({ kind: "user", userId: user!.id, platformRole: null, portal: { organizationId: org.id } });
    const scope = await resolveOrgScope(principal!, org.slug);
    expect(scope.role).toBe("admin");
  });

  it("is one-time: a second follow, an expired link and an unknown token are refused, and open no session", async () => {
    const org = await createOrg();
    const token = await link(org);
    await followPortalLink(token, CONTEXT);
    expect(await refusal(followPortalLink(token, CONTEXT))).toEqual({ code: "gone", message: USED_LINK });

    const stale = await link(org);
    await sql()`update portal_links set expires_at = now() - interval '1 second' where token_hash = ${hashOneTimeToken(stale)}`;
    expect(await refusal(followPortalLink(stale, CONTEXT))).toEqual({ code: "gone", message: EXPIRED_LINK });
    const [row] = await sql()<{ used_at: Date | null }[]>`select used_at from portal_links where token_hash = ${hashOneTimeToken(stale)}`;
    expect(row!.used_at).toBeNull();

    for (const unknown of ["A".repeat(43), "short", "../../etc/passwd", ""]) expect(await refusal(followPortalLink(unknown, CONTEXT))).toEqual({ code: "not_found", message: UNKNOWN_LINK });
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from sessions where organization_id = ${org.id}`;
    expect(Number(n)).toBe(1);
  });

  it("two follows at once: exactly one session", async () => {
    const org = await createOrg();
    const token = await link(org);
    const results = await race(
      (tx) => tx`select 1 from portal_links where token_hash = ${hashOneTimeToken(token)} for update`,
      [() => followPortalLink(token, CONTEXT), () => followPortalLink(token, CONTEXT)],
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("gone");
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from sessions where organization_id = ${org.id}`;
    expect(Number(n)).toBe(1);
    expect(await eventsOf(org.id, "orgtrail.user.signed_in")).toHaveLength(1);
  });

  it("the latest link's role applies, and the change is recorded; an owner stays owner", async () => {
    const org = await createOrg();
    const email = `role-${crypto.randomUUID().slice(0, 8)}@customer.test`;
    const user = { id: "u_role", email, name: "Rory" };
    await followPortalLink(await link(org, { user, role: "admin" }), CONTEXT);
    const second = await followPortalLink(await link(org, { user, role: "member" }), CONTEXT);
    const [membership] = await sql()<{ role: string }[]>`select role from memberships where organization_id = ${org.id} and user_id = ${second.userId}`;
    expect(membership!.role).toBe("member");
    const [changed] = await eventsOf(org.id, "orgtrail.member.role_changed");
    expect(changed).toMatchObject({ targets: [{ type: "user", id: "u_role" }], metadata: { role_from: "admin", role_to: "member" } });
    expect((await resolveOrgScope((await principalOf(second))!, org.id)).role).toBe("member");

    const owner = await createUser(org.id, "owner");
    await followPortalLink(await link(org, { user: { id: "u_owner", email: owner.email, name: "Owner" }, role: "auditor" }), CONTEXT);
    const [kept] = await sql()<{ role: string; external_id: string }[]>`select role, external_id from memberships where organization_id = ${org.id} and user_id = ${owner.userId}`;
    expect(kept).toEqual({ role: "owner", external_id: "u_owner" });
  });

  it("maps the vendor's user id to the membership's external id, so a member sees the events that name them", async () => {
    const org = await createOrg();
    const ingestKey = await createKey(org.id, ["events:write"]);
    const events = [
      event({ actor: { type: "user", id: "u_mine" }, targets: [] }),
      event({ actor: { type: "user", id: "u_other" }, targets: [{ type: "user", id: "u_mine" }] }),
      event({ actor: { type: "user", id: "u_other" }, targets: [{ type: "document", id: "d1" }] }),
    ];
    const response = await ingest(
      new Request("http://localhost/api/v1/events", { method: "POST", headers: { authorization: `Bearer ${ingestKey.secret}`, "content-type": "application/json" }, body: JSON.stringify({ events }) }),
      undefined,
    );
    expect(response.status).toBe(201);
    const entry = await followPortalLink(await link(org, { user: { id: "u_mine", email: `mine-${crypto.randomUUID().slice(0, 8)}@customer.test`, name: "Mine" }, role: "member" }), CONTEXT);
    const scope = await resolveOrgScope((await principalOf(entry))!, org.id);
    const seen = await eventsAfterSeq(scope, 0, 100);
    // The two events that name u_mine, and the member's own joining and sign-in (as u_mine); not the third.
    expect(seen.data.map((e) => e.action).sort()).toEqual(["orgtrail.member.joined", "orgtrail.user.signed_in", "test.happened", "test.happened"]);
    expect(seen.data.every((e) => e.actor.id === "u_mine" || e.targets.some((t) => t.id === "u_mine"))).toBe(true);
  });

  it("the session reaches that organization only: another organization the person belongs to is a 404, and staff roles and the console do not apply", async () => {
    const org = await createOrg();
    const other = await createOrg();
    const staff = await setPlatformRole(await createUser(other.id, "owner"), "vendor_admin");
    const entry = await followPortalLink(await link(org, { user: { id: "u_staff", email: staff.email, name: "Staff" }, role: "auditor" }), CONTEXT);
    const principal = (await principalOf(entry))!;
    expect(principal.platformRole).toBeNull();
    expect(hasVendorPermission(principal, "orgs.manage")).toBe(false);
    expect((await resolveOrgScope(principal, org.slug)).role).toBe("auditor");
    for (const ref of [other.slug, other.id]) expect(await refusal(resolveOrgScope(principal, ref))).toEqual({ code: "not_found", message: "Organization not found" });
    const [vendor] = await sql()<{ id: string }[]>`select id from organizations where kind = 'vendor'`;
    expect(await refusal(resolveOrgScope(principal, vendor!.id))).toMatchObject({ code: "not_found" });
    // The same person's ordinary session still reaches everything they belong to.
    expect((await resolveOrgScope(staff, other.id)).role).toBe("owner");
  });

  it("a revoked or expired portal session is no session", async () => {
    const org = await createOrg();
    const entry = await followPortalLink(await link(org), CONTEXT);
    expect(await principalOf(entry)).not.toBeNull();
    await sql()`update sessions set expires_at = now() - interval '1 second' where id = ${entry.sessionId}`;
    expect(await principalOf(entry)).toBeNull();
  });

  it("a person whose external id another member holds is refused with 409, and the link is not spent", async () => {
    const org = await createOrg();
    const token = await link(org, { user: { id: "u_clash", email: `clash-${crypto.randomUUID().slice(0, 8)}@customer.test`, name: "Clash" } });
    await createUser(org.id, "member", "u_clash");
    expect(await refusal(followPortalLink(token, CONTEXT))).toMatchObject({ code: "conflict" });
    const [row] = await sql()<{ used_at: Date | null }[]>`select used_at from portal_links where token_hash = ${hashOneTimeToken(token)}`;
    expect(row!.used_at).toBeNull();
  });
});

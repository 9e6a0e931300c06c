import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import type { OrgRole } from "@/db/schema";
import { apiStatus, createKey, createOrg, createUser, setPlatformRole } from "@/db/testing/fixtures";
import { race } from "@/db/testing/race";
import { httpStatus } from "@/lib/api/error-response";
import { resolveOrgScope, streamReaderScope, type Scope } from "@/lib/access/scope";
import type { UserPrincipal } from "@/lib/auth/principal";
import { AppError } from "@/lib/errors";
import { MAX_SAVED_SEARCHES_PER_USER } from "./saved-search-input";
import { createSavedSearch, deleteSavedSearch, listSavedSearches, updateSavedSearch } from "./saved-searches";

/** The AppError a call fails with, and its HTTP status. */
async function failure(promise: Promise<unknown>): Promise<AppError & { status: number }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof AppError)) throw error ?? new Error("expected the call to fail");
  return Object.assign(error, { status: httpStatus(error) });
}

async function person(org: { id: string; slug: string }, role: OrgRole): Promise<Scope> {
  return resolveOrgScope(await createUser(org.id, role), org.slug);
}

/** An organization with one person of each role. */
async function team() {
  const org = await createOrg("ss");
  const [owner, admin, auditor, member] = await Promise.all((["owner", "admin", "auditor", "member"] as const).map((role) => person(org, role)));
  return { org, owner: owner!, admin: admin!, auditor: auditor!, member: member! };
}

const userOf = (scope: Scope) => scope.principal as UserPrincipal;
const names = (list: { name: string }[]) => list.map((s) => s.name);

describe("saved searches", () => {
  it("saves a search with its query, range and columns, and lists it as the caller's own", async () => {
    const { org, auditor } = await team();
    const saved = await createSavedSearch(auditor, { name: "  Failed sign-ins  ", query: " action:orgtrail.user.sign_in_failed ", range: "7d", columns: ["time", "actor", "ip"] });
    const user = userOf(auditor);
    expect(saved).toMatchObject({
      name: "Failed sign-ins",
      query: "action:orgtrail.user.sign_in_failed",
      range: "7d",
      from: null,
      to: null,
      columns: ["time", "actor", "ip"],
      shared: false,
      owner: { id: user.userId, name: user.name },
      mine: true,
    });
    expect(Date.parse(saved.created_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(await listSavedSearches(auditor)).toEqual([saved]);
    const [row] = await sql()<{ organization_id: string; columns: unknown }[]>`select organization_id, columns from saved_searches where id = ${saved.id}`;
    expect(row).toEqual({ organization_id: org.id, columns: ["time", "actor", "ip"] });
  });

  it("keeps a custom range as RFC 3339 instants, open at one end if asked", async () => {
    const { member } = await team();
    const both = await createSavedSearch(member, { name: "Incident window", range: "custom", from: "2026-11-20T10:00:00+01:00", to: "2026-11-20T12:30:00Z" });
    expect(both).toMatchObject({ range: "custom", from: "2026-11-20T09:00:00.000Z", to: "2026-11-20T12:30:00.000Z", query: "", columns: null });
    const since = await createSavedSearch(member, { name: "Since the incident", range: "custom", from: "2026-11-20T09:00:00Z" });
    expect(since).toMatchObject({ from: "2026-11-20T09:00:00.000Z", to: null });
    const preset = await createSavedSearch(member, { name: "Default range" });
    expect(preset.range).toBe("30d");
  });

  it("refuses bad input, naming the field (422), and a query that does not parse (400, naming the term)", async () => {
    const { owner } = await team();
    const cases: [unknown, string][] = [
      [null, ""],
      ["name", ""],
      [[], ""],
      [{}, "name"],
      [{ name: "   " }, "name"],
      [{ name: "x".repeat(101) }, "name"],
      [{ name: "a\u0000b" }, "name"],
      [{ name: "line\nbreak" }, "name"],
      [{ name: "\ud800" }, "name"],
      [{ name: 42 }, "name"],
      [{ name: "ok", query: 7 }, "query"],
      [{ name: "ok", query: "x".repeat(2001) }, "query"],
      [{ name: "ok", range: "2w" }, "range"],
      [{ name: "ok", range: "custom" }, "from"],
      [{ name: "ok", range: "custom", from: "2026-11-20T10:00:00Z", to: "2026-11-20T10:00:00Z" }, "to"],
      [{ name: "ok", range: "custom", from: "2026-11-21T00:00:00Z", to: "2026-11-20T00:00:00Z" }, "to"],
      [{ name: "ok", range: "custom", from: "yesterday" }, "from"],
      [{ name: "ok", range: "custom", from: "2026-02-30T00:00:00Z" }, "from"],
      [{ name: "ok", range: "custom", from: "2026-11-20" }, "from"],
      [{ name: "ok", range: "7d", from: "2026-11-20T00:00:00Z" }, "from"],
      [{ name: "ok", columns: "time" }, "columns"],
      [{ name: "ok", columns: [] }, "columns"],
      [{ name: "ok", columns: Array.from({ length: 51 }, (_, i) => `c${i}`) }, "columns"],
      [{ name: "ok", columns: ["time", "time"] }, "columns"],
      [{ name: "ok", columns: ["<script>"] }, "columns[0]"],
      [{ name: "ok", columns: ["x".repeat(65)] }, "columns[0]"],
      [{ name: "ok", shared: "yes" }, "shared"],
      [{ name: "ok", owner_user_id: "00000000-0000-0000-0000-000000000000" }, ""],
    ];
    for (const [input, path] of cases) {
      const error = await failure(createSavedSearch(owner, input));
      expect([JSON.stringify(input).slice(0, 60), error.status, error.code]).toEqual([JSON.stringify(input).slice(0, 60), 422, "validation_failed"]);
      expect(error.issues?.map((issue) => issue.path), JSON.stringify(input).slice(0, 60)).toContain(path);
    }

    const bad = await failure(createSavedSearch(owner, { name: "Bad", query: 'action:user.* actor: ip:300.1.1.1 "open' }));
    expect([bad.status, bad.code]).toEqual([400, "invalid_query"]);
    expect(bad.issues!.length).toBeGreaterThanOrEqual(2);
    expect(bad.issues![0]!.path).toMatch(/^query\[\d+:\d+\]$/);
    expect(bad.issues![0]!.message).toContain("actor:");
    expect(await listSavedSearches(owner)).toEqual([]);
  });

  it("names are unique per person and organization, whatever the case: 409 on name", async () => {
    const { owner, admin } = await team();
    const first = await createSavedSearch(owner, { name: "Admin logins" });
    const duplicate = await failure(createSavedSearch(owner, { name: " admin LOGINS " }));
    expect([duplicate.status, duplicate.code, duplicate.issues]).toEqual([409, "conflict", [{ path: "name", message: "is already the name of another of your saved searches" }]]);
    // Another person, or the same person in another organization, may use it.
    expect(await apiStatus(createSavedSearch(admin, { name: "Admin logins", shared: true }))).toBe("ok");
    const other = await createOrg("ss");
    await sql()`insert into memberships (organization_id, user_id, role) values (${other.id}, ${userOf(owner).userId}, 'auditor')`;
    expect(await apiStatus(createSavedSearch(await resolveOrgScope(userOf(owner), other.slug), { name: "Admin logins" }))).toBe("ok");
    // Renaming onto another of one's own names is refused; keeping one's own name (another case) is not.
    const second = await createSavedSearch(owner, { name: "Key changes" });
    expect((await failure(updateSavedSearch(owner, second.id, { name: "ADMIN logins" }))).status).toBe(409);
    expect((await updateSavedSearch(owner, first.id, { name: "ADMIN logins" })).name).toBe("ADMIN logins");
  });

  it("two saves of one name at once: one is saved, the other is a 409", async () => {
    const { org, auditor } = await team();
    const userId = userOf(auditor).userId;
    const results = await race(
      (tx) => tx`select pg_advisory_xact_lock(hashtext(${`saved_searches:${org.id}:${userId}`}))`,
      [() => createSavedSearch(auditor, { name: "Same" }), () => createSavedSearch(auditor, { name: "same" })],
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(httpStatus(rejected.reason as AppError)).toBe(409);
    expect(await listSavedSearches(auditor)).toHaveLength(1);
  });

  it(`keeps at most ${MAX_SAVED_SEARCHES_PER_USER} per person per organization (422); deleting one makes room`, async () => {
    const { org, member, auditor } = await team();
    const userId = userOf(member).userId;
    await sql()`
      insert into saved_searches (organization_id, owner_user_id, name, range)
      select ${org.id}, ${userId}, 'Search ' || n, '30d' from generate_series(1, ${MAX_SAVED_SEARCHES_PER_USER - 1}) n`;
    const last = await createSavedSearch(member, { name: "The hundredth" });
    const refused = await failure(createSavedSearch(member, { name: "One too many" }));
    expect([refused.status, refused.code]).toEqual([422, "validation_failed"]);
    expect(refused.message).toContain(`${MAX_SAVED_SEARCHES_PER_USER} saved searches`);
    // Another person is not held back by it.
    expect(await apiStatus(createSavedSearch(auditor, { name: "Mine" }))).toBe("ok");
    await deleteSavedSearch(member, last.id);
    expect(await apiStatus(createSavedSearch(member, { name: "One too many" }))).toBe("ok");
  });

  it("every role that reads the log saves and shares; a private search is its owner's alone, a shared one everyone's, with its owner's name", async () => {
    const { owner, admin, auditor, member } = await team();
    const everyone = { owner, admin, auditor, member };
    for (const [role, scope] of Object.entries(everyone)) {
      await createSavedSearch(scope, { name: `${role} private` });
      await createSavedSearch(scope, { name: `${role} shared`, shared: true });
    }
    for (const [role, scope] of Object.entries(everyone)) {
      const list = await listSavedSearches(scope);
      // Own first (by name), then the others' shared ones.
      expect(names(list.filter((s) => s.mine))).toEqual([`${role} private`, `${role} shared`]);
      expect(names(list.filter((s) => !s.mine)).sort()).toEqual(Object.keys(everyone).filter((r) => r !== role).map((r) => `${r} shared`).sort());
      expect(list.filter((s) => !s.mine).every((s) => s.shared && s.owner.name === "Test User")).toBe(true);
      expect(list.findIndex((s) => !s.mine)).toBe(2);
    }
  });

  it("only the owner changes a search: 403 on another's shared one, 404 on another's private one (whatever the role)", async () => {
    const { owner, admin, auditor, member } = await team();
    const shared = await createSavedSearch(auditor, { name: "Exports", query: "action:orgtrail.audit_log.exported", shared: true });
    const hidden = await createSavedSearch(auditor, { name: "Private" });
    for (const scope of [owner, admin, member]) {
      const refused = await failure(updateSavedSearch(scope, shared.id, { name: "Taken over" }));
      expect([refused.status, refused.code]).toEqual([403, "forbidden"]);
      expect(refused.message).toContain("Only Test User");
      expect((await failure(updateSavedSearch(scope, hidden.id, { shared: true }))).status).toBe(404);
      expect((await failure(deleteSavedSearch(scope, hidden.id))).status).toBe(404);
    }
    const changed = await updateSavedSearch(auditor, shared.id, { name: "Exports (all)", query: "action:orgtrail.audit_log.*", range: "custom", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", columns: ["time", "action"] });
    expect(changed).toMatchObject({ name: "Exports (all)", query: "action:orgtrail.audit_log.*", range: "custom", from: "2026-01-01T00:00:00.000Z", to: "2026-02-01T00:00:00.000Z", columns: ["time", "action"], shared: true });
    expect(Date.parse(changed.updated_at)).toBeGreaterThanOrEqual(Date.parse(shared.updated_at));
    // A preset range drops the custom from/to; null columns go back to each viewer's own layout; unsharing hides it from the others.
    const back = await updateSavedSearch(auditor, shared.id, { range: "24h", columns: null, shared: false });
    expect(back).toMatchObject({ name: "Exports (all)", query: "action:orgtrail.audit_log.*", range: "24h", from: null, to: null, columns: null, shared: false });
    expect(names(await listSavedSearches(member))).toEqual([]);
    expect((await failure(updateSavedSearch(member, shared.id, { name: "x" }))).status).toBe(404);
  });

  it("refuses bad changes: nothing to change, a bad query (400), from/to without a custom range", async () => {
    const { admin } = await team();
    const saved = await createSavedSearch(admin, { name: "Keys", query: "action:orgtrail.api_key.*", range: "custom", from: "2026-01-01T00:00:00Z" });
    expect((await failure(updateSavedSearch(admin, saved.id, {}))).status).toBe(422);
    expect((await failure(updateSavedSearch(admin, saved.id, { name: "" }))).status).toBe(422);
    expect((await failure(updateSavedSearch(admin, saved.id, { from: "2026-02-01T00:00:00Z" }))).issues?.[0]?.path).toBe("range");
    expect((await failure(updateSavedSearch(admin, saved.id, { range: "7d", to: "2026-02-01T00:00:00Z" }))).issues?.[0]?.path).toBe("to");
    const bad = await failure(updateSavedSearch(admin, saved.id, { query: "nope:1" }));
    expect([bad.status, bad.issues?.[0]?.path]).toEqual([400, "query[0:6]"]);
    expect(await listSavedSearches(admin)).toEqual([saved]);
  });

  it("a shared search is deleted by its owner or by someone who manages members; auditors and members get 403", async () => {
    const { owner, admin, auditor, member } = await team();
    const a = await createSavedSearch(member, { name: "A", shared: true });
    const b = await createSavedSearch(member, { name: "B", shared: true });
    const c = await createSavedSearch(auditor, { name: "C", shared: true });
    expect((await failure(deleteSavedSearch(auditor, a.id))).status).toBe(403);
    expect((await failure(deleteSavedSearch(member, c.id))).message).toContain("or an administrator");
    await deleteSavedSearch(admin, a.id);
    await deleteSavedSearch(owner, b.id);
    await deleteSavedSearch(auditor, c.id);
    expect(await listSavedSearches(owner)).toEqual([]);
    // Gone is gone: 404 for everyone.
    expect((await failure(deleteSavedSearch(member, a.id))).status).toBe(404);
  });

  it("API keys and Orgtrail itself have none (403); callers who cannot read the log get 404; ids of another organization are 404", async () => {
    const { org, owner } = await team();
    const saved = await createSavedSearch(owner, { name: "Ours", shared: true });
    const readKey = await createKey(org.id, ["events:read"]);
    const keyScope = await resolveOrgScope(readKey.principal, org.slug);
    for (const call of [listSavedSearches(keyScope), createSavedSearch(keyScope, { name: "Key's" }), updateSavedSearch(keyScope, saved.id, { name: "x" }), deleteSavedSearch(keyScope, saved.id)]) {
      const refused = await failure(call);
      expect([refused.status, refused.code]).toEqual([403, "forbidden"]);
      expect(refused.message).toContain("API key");
    }
    const system = await streamReaderScope(org.id);
    expect((await failure(listSavedSearches(system))).status).toBe(403);

    const ingestKey = await resolveOrgScope((await createKey(org.id, ["events:write"])).principal, org.slug);
    const vendorAdmin = await resolveOrgScope(await setPlatformRole(await createUser(null, null), "vendor_admin"), org.slug);
    const support = await resolveOrgScope(await setPlatformRole(await createUser(null, null), "vendor_support"), org.slug);
    for (const scope of [ingestKey, vendorAdmin, support]) {
      expect(await apiStatus(listSavedSearches(scope))).toBe(404);
      expect(await apiStatus(createSavedSearch(scope, { name: "x" }))).toBe(404);
      expect(await apiStatus(deleteSavedSearch(scope, saved.id))).toBe(404);
    }

    // Support staff under a grant read the shared searches, and keep none there.
    const granted = await setPlatformRole(await createUser(null, null), "vendor_support");
    await sql()`insert into support_grants (organization_id, user_id, reason, expires_at) values (${org.id}, ${granted.userId}, 'ticket 42', now() + interval '1 hour')`;
    const grantScope = await resolveOrgScope(granted, org.slug);
    expect(names(await listSavedSearches(grantScope))).toEqual(["Ours"]);
    for (const call of [createSavedSearch(grantScope, { name: "Staff's", shared: true }), updateSavedSearch(grantScope, saved.id, { name: "x" }), deleteSavedSearch(grantScope, saved.id)]) {
      expect((await failure(call)).status).toBe(403);
    }

    // The same id through another organization's scope, even one where the caller is an owner too.
    const other = await createOrg("ss");
    await sql()`insert into memberships (organization_id, user_id, role) values (${other.id}, ${userOf(owner).userId}, 'owner')`;
    const elsewhere = await resolveOrgScope(userOf(owner), other.slug);
    expect(await listSavedSearches(elsewhere)).toEqual([]);
    expect((await failure(updateSavedSearch(elsewhere, saved.id, { name: "moved" }))).status).toBe(404);
    expect((await failure(deleteSavedSearch(elsewhere, saved.id))).status).toBe(404);
    for (const id of ["not-a-uuid", "", randomUUID(), "'; drop table saved_searches; --"]) {
      expect(await apiStatus(updateSavedSearch(owner, id, { name: "x" }))).toBe(404);
      expect(await apiStatus(deleteSavedSearch(owner, id))).toBe(404);
    }
    expect((await updateSavedSearch(owner, saved.id.toUpperCase(), { name: "Ours" })).id).toBe(saved.id);
    expect(names(await listSavedSearches(owner))).toEqual(["Ours"]);
  });
});

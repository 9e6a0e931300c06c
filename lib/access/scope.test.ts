import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import type { ApiKeyPrincipal } from "@/lib/auth/api-key";
import { createKey, createOrg, createUser, event, setPlatformRole, apiStatus as status } from "@/db/testing/fixtures";
import { ingest } from "@/lib/events/ingest";
import { getEvent, searchEvents } from "@/lib/events/search";
import { can } from "./permissions";
import { findOrganization, resolveOrgScope } from "./scope";

async function orgWithEvents() {
  const org = await createOrg();
  const { principal: writer } = await createKey(org.id);
  const events = [
    event({ actor: { type: "user", id: "u_member" } }),
    event({ actor: { type: "user", id: "u_other" }, targets: [{ type: "user", id: "u_member" }] }),
    event({ actor: { type: "user", id: "u_other" }, targets: [{ type: "document", id: "d1" }] }),
    event({ actor: { type: "user", id: "u_third" } }),
  ];
  const result = await ingest(writer, { events }, null);
  const ids = (result.body as { data: { id: string }[] }).data.map((e) => e.id);
  return { org, ids };
}

describe("scopes", () => {
  it("owner, admin and auditor read everything; a member reads only events naming them", async () => {
    const { org, ids } = await orgWithEvents();
    for (const role of ["owner", "admin", "auditor"] as const) {
      const scope = await resolveOrgScope(await createUser(org.id, role), org.slug);
      const page = await searchEvents(scope, { limit: 100, order: "asc" });
      expect(page.data.map((e) => e.id)).toEqual(ids);
    }
    const member = await resolveOrgScope(await createUser(org.id, "member", "u_member"), org.slug);
    expect(can(member, "events.export")).toBe(false);
    const page = await searchEvents(member, { limit: 100, order: "asc" });
    expect(page.data.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(await status(getEvent(member, ids[2]!))).toBe(404);
    expect(await status(getEvent(member, ids[1]!))).toBe("ok");
  });

  it("a stranger, an org key of another org and a vendor admin get 404", async () => {
    const { org } = await orgWithEvents();
    const other = await createOrg();
    const stranger = await createUser(other.id, "owner");
    expect(await status(resolveOrgScope(stranger, org.slug))).toBe(404);
    const { principal: otherKey } = await createKey(other.id);
    expect(await status(resolveOrgScope(otherKey, org.slug))).toBe(404);
    const vendorAdmin = await setPlatformRole(await createUser(null, null), "vendor_admin");
    const scope = await resolveOrgScope(vendorAdmin, org.slug);
    expect(await status(searchEvents(scope, { limit: 10, order: "desc" }))).toBe(404);
  });

  it("a vendor key reads any org only with events:read", async () => {
    const { org, ids } = await orgWithEvents();
    const { principal: reader } = await createKey(null, ["events:read"]);
    const page = await searchEvents(await resolveOrgScope(reader, org.id), { limit: 100, order: "asc" });
    expect(page.data.map((e) => e.id)).toEqual(ids);
    const { principal: writer } = await createKey(null, ["events:write"]);
    expect(await status(searchEvents(await resolveOrgScope(writer, org.id), { limit: 100, order: "asc" }))).toBe(404);
  });

  it("a cursor from one org is a 404 in another", async () => {
    const a = await orgWithEvents();
    const b = await orgWithEvents();
    const { principal: reader } = await createKey(null, ["events:read"]);
    const pageA = await searchEvents(await resolveOrgScope(reader, a.org.id), { limit: 1, order: "desc" });
    expect(pageA.next_cursor).toBeTruthy();
    const scopeB = await resolveOrgScope(reader, b.org.id);
    expect(await status(searchEvents(scopeB, { limit: 1, order: "desc", cursor: pageA.next_cursor! }))).toBe(404);
  });
});

describe("organization aliases", () => {
  const newAlias = () => `org_${randomUUID().replaceAll("-", "").toUpperCase()}`;
  const setAlias = (organizationId: string, alias: string | null) => sql()`update organizations set alias = ${alias} where id = ${organizationId}`;
  const ingestTo = async (principal: ApiKeyPrincipal, organizationId: string) => {
    const result = await ingest(principal, { organization_id: organizationId, event: event({ metadata: { via: organizationId } }) }, null);
    return (result.body as { data: { id: string }[] }).data[0]!.id;
  };

  it("a vendor key ingests and searches by alias; a person's scope resolves it too", async () => {
    const org = await createOrg();
    const alias = newAlias();
    await setAlias(org.id, alias);
    const { principal: key } = await createKey(null, ["events:write", "events:read"]);
    const id = await ingestTo(key, alias);
    const scope = await resolveOrgScope(key, alias);
    expect(scope.organization).toMatchObject({ id: org.id, slug: org.slug });
    expect((await searchEvents(scope, { limit: 10, order: "asc" })).data.map((e) => e.id)).toEqual([id]);
    expect((await resolveOrgScope(await createUser(org.id, "auditor"), alias)).organization.id).toBe(org.id);
    expect((await findOrganization(alias))?.id).toBe(org.id);
  });

  it("an unknown alias, one in another case and a near-alias are 404s", async () => {
    const org = await createOrg();
    const alias = newAlias();
    await setAlias(org.id, alias);
    const { principal: key } = await createKey(null, ["events:write", "events:read"]);
    for (const ref of [newAlias(), alias.toLowerCase(), `${alias}-x`, `org_`]) {
      expect(await status(resolveOrgScope(key, ref)), ref).toBe(404);
      expect(await status(ingestTo(key, ref)), ref).toBe(404);
    }
  });

  it("an org-bound key cannot reach another organization by its alias", async () => {
    const mine = await createOrg();
    const other = await createOrg();
    const alias = newAlias();
    await setAlias(other.id, alias);
    const { principal: key } = await createKey(mine.id);
    expect(await status(resolveOrgScope(key, alias))).toBe(404);
    expect(await status(ingestTo(key, alias))).toBe(404);
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${other.id}`;
    expect(Number(n)).toBe(0);
  });

  it("an alias moved from one organization to another names the new one at once for API keys", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const alias = newAlias();
    await setAlias(a.id, alias);
    const { principal: key } = await createKey(null, ["events:write", "events:read"]);
    // The key's lookups of ids and slugs are cached; these fill that cache for both organizations first.
    for (const ref of [a.id, a.slug, b.id, b.slug]) await resolveOrgScope(key, ref);
    const first = await ingestTo(key, alias);
    await setAlias(a.id, null);
    await setAlias(b.id, alias);
    const second = await ingestTo(key, alias);
    expect((await resolveOrgScope(key, alias)).organization.id).toBe(b.id);
    expect((await searchEvents(await resolveOrgScope(key, a.slug), { limit: 10, order: "asc" })).data.map((e) => e.id)).toEqual([first]);
    expect((await searchEvents(await resolveOrgScope(key, b.slug), { limit: 10, order: "asc" })).data.map((e) => e.id)).toEqual([second]);
    await setAlias(b.id, null);
    expect(await status(resolveOrgScope(key, alias))).toBe(404);
  });
});

import { describe, expect, it } from "vitest";
import { createKey, createOrg, createUser, event, setPlatformRole, apiStatus as status } from "@/db/testing/fixtures";
import { ingest } from "@/lib/events/ingest";
import { getEvent, searchEvents } from "@/lib/events/search";
import { can } from "./permissions";
import { resolveOrgScope } from "./scope";

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

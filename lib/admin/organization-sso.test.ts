import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { countEvents, eventsOf } from "@/db/testing/app-event-assertions";
import { createOrg } from "@/db/testing/fixtures";
import { race } from "@/db/testing/race";
import { createVendorAdmin, vendorOrgId } from "@/db/testing/vendor-fixtures";
import { listOrganizations } from "./organizations";
import { setOrganizationSso } from "./organization-sso";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";

const newDomain = () => `sso-${randomUUID().slice(0, 8)}.test`;
const admin = async () => requireVendorPermission(await createVendorAdmin(), "orgs.manage");

async function ssoOf(organizationId: string) {
  const [row] = await sql()<{ sso_domains: string[]; sso_default_role: string }[]>`select sso_domains, sso_default_role from organizations where id = ${organizationId}`;
  return row;
}

const changesOf = async (logId: string, organizationId: string) => (await eventsOf(logId, "orgtrail.organization.sso_changed")).filter((e) => e.targets[0]?.id === organizationId);

describe("single sign-on settings in the console", () => {
  it("sets an organization's domains (trimmed, lowercased, each once) and default role, recorded in the vendor log and the organization's own; the same again changes nothing", async () => {
    const actor = await admin();
    const org = await createOrg();
    const [a, b] = [newDomain(), newDomain()];
    expect(await setOrganizationSso(actor, org.id, { domains: [` ${a.toUpperCase()} `, b, a], defaultRole: "auditor" })).toEqual({ changed: true });
    expect(await ssoOf(org.id)).toEqual({ sso_domains: [a, b], sso_default_role: "auditor" });
    expect((await listOrganizations()).find((o) => o.id === org.id)).toMatchObject({ ssoDomains: [a, b], ssoDefaultRole: "auditor" });

    const expected = {
      actor: { type: "user", id: actor.userId },
      targets: [{ type: "organization", id: org.id }],
      metadata: { slug: org.slug, domains_from: "", domains_to: `${a}, ${b}`, default_role_from: "member", default_role_to: "auditor" },
    };
    expect(await changesOf(await vendorOrgId(), org.id)).toMatchObject([expected]);
    expect(await changesOf(org.id, org.id)).toMatchObject([expected]);

    expect(await setOrganizationSso(actor, org.id, { domains: [a, b], defaultRole: "auditor" })).toEqual({ changed: false });
    await setOrganizationSso(actor, org.id, { domains: [], defaultRole: "auditor" });
    expect(await ssoOf(org.id)).toEqual({ sso_domains: [], sso_default_role: "auditor" });
    expect((await changesOf(org.id, org.id)).map((e) => e.metadata.domains_to)).toEqual([`${a}, ${b}`, ""]);
  });

  it("refuses wildcards, addresses, bare names and unknown roles with issues naming each, and writes nothing", async () => {
    const actor = await admin();
    const org = await createOrg();
    const refused = setOrganizationSso(actor, org.id, { domains: ["*.acme.test", "it@acme.test", "localhost", "acme..test", "ok.test"], defaultRole: "boss" });
    await expect(refused).rejects.toMatchObject({
      code: "validation_failed",
      issues: [
        { path: "domains[0]", message: expect.stringContaining("no wildcards") },
        { path: "domains[1]", message: expect.stringContaining("without the part before @") },
        { path: "domains[2]", message: "must be a domain name like example.com" },
        { path: "domains[3]", message: "must be a domain name like example.com" },
        { path: "defaultRole", message: expect.stringContaining("owner, admin, auditor, member") },
      ],
    });
    await expect(setOrganizationSso(actor, org.id, { domains: Array.from({ length: 21 }, newDomain), defaultRole: "member" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(setOrganizationSso(actor, await vendorOrgId(), { domains: [newDomain()], defaultRole: "member" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(setOrganizationSso(actor, randomUUID(), { domains: [], defaultRole: "member" })).rejects.toMatchObject({ code: "not_found" });
    expect(await ssoOf(org.id)).toEqual({ sso_domains: [], sso_default_role: "member" });
    expect(await countEvents(org.id)).toBe(0);
  });

  it("a domain belongs to one organization: another gets a 409 naming the owner of it", async () => {
    const actor = await admin();
    const [first, second] = [await createOrg(), await createOrg()];
    const domain = newDomain();
    await setOrganizationSso(actor, first.id, { domains: [domain], defaultRole: "member" });
    await expect(setOrganizationSso(actor, second.id, { domains: [newDomain(), domain], defaultRole: "member" })).rejects.toMatchObject({
      code: "conflict",
      issues: [{ path: "domains[1]", message: `${domain} is already used by Test ${first.slug} (${first.slug})` }],
    });
    expect(await ssoOf(second.id)).toEqual({ sso_domains: [], sso_default_role: "member" });
  });

  it("two admins giving one domain to two organizations at once: one wins, the other gets the 409", async () => {
    const actor = await admin();
    const [first, second] = [await createOrg(), await createOrg()];
    const domain = newDomain();
    // Both organization rows held, so the two changes run at the same moment once released.
    const results = await race((tx) => tx`select 1 from organizations where id in (${first.id}, ${second.id}) for update`, [
      () => setOrganizationSso(actor, first.id, { domains: [domain], defaultRole: "member" }),
      () => setOrganizationSso(actor, second.id, { domains: [domain], defaultRole: "member" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from organizations where ${domain} = any(sso_domains)`;
    expect(Number(n)).toBe(1);
  });
});

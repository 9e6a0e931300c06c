import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { countEvents, eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { createVendorAdmin, vendorOrgId } from "@/db/testing/vendor-fixtures";
import { hashInviteToken } from "@/lib/members/invite-token";
import { createOrganization, inviteFirstOwner, listOrganizations, renameOrganization } from "./organizations";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";

const slug = () => `co-${randomUUID().slice(0, 8)}`;

describe("organizations in the console", () => {
  it("creates and renames, each with one vendor-log event naming the admin and the organization", async () => {
    const user = await createVendorAdmin();
    const admin = requireVendorPermission(user, "orgs.manage");
    const vendor = await vendorOrgId();
    const org = await createOrganization(admin, { slug: slug(), name: "Initech" });
    const listed = (await listOrganizations()).find((o) => o.id === org.id);
    expect(listed).toMatchObject({ name: "Initech", kind: "customer", eventsIngested: 0, lastEventAt: null, owners: 0 });

    await renameOrganization(admin, org.id, { name: "Initech Ltd" });
    expect(await renameOrganization(admin, org.id, { name: "Initech Ltd" })).toEqual({ changed: false });

    const created = (await eventsOf(vendor, "orgtrail.organization.created")).filter((e) => e.targets[0]?.id === org.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor: { type: "user", id: user.userId, metadata: { email: user.email } }, targets: [{ type: "organization", id: org.id, name: "Initech" }], metadata: { slug: org.slug } });
    const renamed = (await eventsOf(vendor, "orgtrail.organization.renamed")).filter((e) => e.targets[0]?.id === org.id);
    expect(renamed).toHaveLength(1);
    expect(renamed[0]!.metadata).toMatchObject({ name_from: "Initech", name_to: "Initech Ltd" });
  });

  it("refuses bad and duplicate slugs with clear issues and writes nothing", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "orgs.manage");
    await expect(createOrganization(admin, { slug: "Bad Slug", name: "" })).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "slug" }, { path: "name" }] });
    await expect(createOrganization(admin, { slug: "acme", name: "Acme again" })).rejects.toMatchObject({ code: "conflict", issues: [{ path: "slug", message: expect.stringContaining("already used") }] });
    await expect(renameOrganization(admin, randomUUID(), { name: "x" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("invites the first owner: a hashed token, one event in the customer's log and one in the vendor log", async () => {
    const user = await createVendorAdmin();
    const admin = requireVendorPermission(user, "orgs.manage");
    const org = await createOrganization(admin, { slug: slug(), name: "Hooli" });
    const invite = await inviteFirstOwner(admin, org.id, { email: "Gavin@Hooli.test" });
    const token = invite.path.replace("/invite/", "");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await sql()<{ email: string; role: string; token_hash: string }[]>`select email, role, token_hash from invites where id = ${invite.inviteId}`;
    expect(row).toEqual({ email: "gavin@hooli.test", role: "owner", token_hash: hashInviteToken(token) });

    const inCustomerLog = await eventsOf(org.id, "orgtrail.member.invited");
    expect(inCustomerLog).toHaveLength(1);
    expect(inCustomerLog[0]).toMatchObject({ actor: { id: user.userId }, targets: [{ type: "invite", id: invite.inviteId }], metadata: { email: "gavin@hooli.test", role: "owner" } });
    expect(JSON.stringify(inCustomerLog)).not.toContain(token);
    const inVendorLog = (await eventsOf(await vendorOrgId(), "orgtrail.organization.owner_invited")).filter((e) => e.targets[0]?.id === org.id);
    expect(inVendorLog).toHaveLength(1);

    const withOwner = await createOrg();
    await createUser(withOwner.id, "owner");
    await expect(inviteFirstOwner(admin, withOwner.id, { email: "x@y.test" })).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("already has an owner") });
    await expect(inviteFirstOwner(admin, org.id, { email: "not an email" })).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "email" }] });
  });

  it("the change and its event roll back together, both ways", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "orgs.manage");
    const vendor = await vendorOrgId();
    const doomed = slug();
    await withFailingWrites("audit_events", "insert", vendor, () => expect(createOrganization(admin, { slug: doomed, name: "Doomed" })).rejects.toThrow("forced failure"));
    expect((await listOrganizations()).some((o) => o.slug === doomed)).toBe(false);

    const org = await createOrganization(admin, { slug: slug(), name: "Stable" });
    const before = await countEvents(vendor);
    await withFailingWrites("organizations", "update", org.id, () => expect(renameOrganization(admin, org.id, { name: "Renamed" })).rejects.toThrow("forced failure"));
    expect(await countEvents(vendor)).toBe(before);
    expect((await listOrganizations()).find((o) => o.id === org.id)?.name).toBe("Stable");
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { supportGrants } from "@/db/schema";
import { createOrg, createUser, setPlatformRole, apiStatus as status } from "@/db/testing/fixtures";
import { searchEvents } from "@/lib/events/search";
import { can, PERMISSIONS } from "@/lib/access/permissions";
import { findOrganization, resolveOrgScope } from "@/lib/access/scope";
import { activeSupportGrant } from "@/lib/access/support";
import { endSupportAccess, openSupportAccess } from "./support-access";

const context = { ip: "203.0.113.9", userAgent: "vitest" };
const REASON = "Ticket #4411: customer reports missing sign-ins";

async function setting() {
  const org = await createOrg();
  const organization = (await findOrganization(org.slug))!;
  const owner = await createUser(org.id, "owner");
  const support = await setPlatformRole(await createUser(null, null), "vendor_support");
  return { org, organization, owner, support };
}

const granted = (scope: { permissions: ReadonlySet<string> }) => PERMISSIONS.filter((p) => scope.permissions.has(p));

describe("vendor support access", () => {
  it("reads nothing of a customer's log without a grant", async () => {
    const { org, support } = await setting();
    const scope = await resolveOrgScope(support, org.slug);
    expect(granted(scope)).toEqual(["support.access"]);
    expect(await status(searchEvents(scope, { limit: 10, order: "desc" }))).toBe(404);
  });

  it("a reason opens the log read-only and writes the access into the customer's own log, with the reason and the staff member", async () => {
    const { org, organization, owner, support } = await setting();
    const grant = await openSupportAccess(support, organization, `  ${REASON}  `, context);
    expect(grant.reason).toBe(REASON);
    expect(grant.expiresAt.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);

    const scope = await resolveOrgScope(support, org.slug);
    expect(granted(scope)).toEqual(["events.read.all", "support.access"]);
    expect(can(scope, "events.export")).toBe(false);
    expect(can(scope, "members.manage")).toBe(false);

    const ownerView = await searchEvents(await resolveOrgScope(owner, org.slug), { q: "action:orgtrail.support.accessed", limit: 10, order: "desc" });
    expect(ownerView.data).toHaveLength(1);
    const event = ownerView.data[0]!;
    expect(event.actor).toEqual({ type: "user", id: support.userId, name: support.name, metadata: { email: support.email } });
    expect(event.metadata).toMatchObject({ reason: REASON });
    expect(event.context).toMatchObject({ location: "203.0.113.9" });
    // The engineer reads the same log, including their own access.
    const supportView = await searchEvents(scope, { q: "action:orgtrail.support.accessed", limit: 10, order: "desc" });
    expect(supportView.data.map((e) => e.id)).toEqual([event.id]);
  });

  it("refuses a short reason with 422 and writes neither grant nor event", async () => {
    const { org, organization, owner, support } = await setting();
    expect(await status(openSupportAccess(support, organization, "   help    ", context))).toBe(422);
    expect(await db().select().from(supportGrants).where(eq(supportGrants.organizationId, org.id))).toHaveLength(0);
    const ownerView = await searchEvents(await resolveOrgScope(owner, org.slug), { limit: 10, order: "desc" });
    expect(ownerView.data).toHaveLength(0);
  });

  it("runs for the chosen duration (15 min, 1 h or 4 h, 1 h by default), written into the event; any other duration is refused", async () => {
    const { org, organization, owner, support } = await setting();
    const quarter = await openSupportAccess(support, organization, REASON, context, 15);
    const minutes = (grant: { createdAt: Date; expiresAt: Date }) => Math.round((grant.expiresAt.getTime() - grant.createdAt.getTime()) / 60_000);
    expect(minutes(quarter)).toBe(15);
    expect(minutes(await openSupportAccess(support, organization, REASON, context, 240))).toBe(240);
    expect(minutes(await openSupportAccess(support, organization, REASON, context))).toBe(60);
    for (const bad of [0, 30, 241, 100_000, "60", Number.NaN]) {
      await expect(openSupportAccess(support, organization, REASON, context, bad)).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "minutes" }] });
    }
    const ownerView = await searchEvents(await resolveOrgScope(owner, org.slug), { q: "action:orgtrail.support.accessed", limit: 10, order: "asc" });
    expect(ownerView.data.map((e) => e.metadata.duration_minutes)).toEqual([15, 240, 60]);
    expect(ownerView.data[0]!.metadata.expires_at).toBe(quarter.expiresAt.toISOString());
    expect(await db().select().from(supportGrants).where(eq(supportGrants.organizationId, org.id))).toHaveLength(3);
  });

  it("is for vendor support only, and only on customer logs", async () => {
    const { organization } = await setting();
    const vendorAdmin = await setPlatformRole(await createUser(null, null), "vendor_admin");
    expect(await status(openSupportAccess(vendorAdmin, organization, REASON, context))).toBe(404);
    const member = await createUser(organization.id, "member");
    expect(await status(openSupportAccess(member, organization, REASON, context))).toBe(404);
    const support = await setPlatformRole(await createUser(null, null), "vendor_support");
    const vendorOrg = await findOrganization("vendor");
    expect(vendorOrg?.kind).toBe("vendor");
    expect(await status(openSupportAccess(support, vendorOrg!, REASON, context))).toBe(404);
  });

  it("a grant covers one organization and ends when it expires or is ended", async () => {
    const { org, organization, support } = await setting();
    const other = await createOrg();
    await openSupportAccess(support, organization, REASON, context);
    expect(can(await resolveOrgScope(support, other.slug), "events.read.all")).toBe(false);

    await endSupportAccess(support, organization.id);
    expect(await activeSupportGrant(support.userId, organization.id)).toBeNull();
    expect(can(await resolveOrgScope(support, org.slug), "events.read.all")).toBe(false);

    await openSupportAccess(support, organization, REASON, context);
    await db().update(supportGrants).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(supportGrants.organizationId, organization.id));
    expect(can(await resolveOrgScope(support, org.slug), "events.read.all")).toBe(false);
  });

  it("both vendor roles read the vendor's own log; vendor admins read no customer log", async () => {
    const { org } = await setting();
    const support = await setPlatformRole(await createUser(null, null), "vendor_support");
    const vendorAdmin = await setPlatformRole(await createUser(null, null), "vendor_admin");
    expect(can(await resolveOrgScope(support, "vendor"), "events.read.all")).toBe(true);
    expect(can(await resolveOrgScope(vendorAdmin, "vendor"), "events.read.all")).toBe(true);
    expect(can(await resolveOrgScope(vendorAdmin, "vendor"), "events.export")).toBe(false);
    const adminInCustomer = await resolveOrgScope(vendorAdmin, org.slug);
    expect(granted(adminInCustomer)).toEqual(["schemas.manage", "orgs.manage", "staff.manage"]);
    expect(await status(searchEvents(adminInCustomer, { limit: 10, order: "desc" }))).toBe(404);
  });
});

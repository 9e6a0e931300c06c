import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { createVendorAdmin, vendorOrgId } from "@/db/testing/vendor-fixtures";
import { findApiKey } from "@/lib/auth/api-key";
import { hashApiKey } from "@/lib/auth/api-key-secret";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { createVendorKey, listVendorKeys, revokeVendorKey } from "./vendor-keys";

describe("vendor API keys", () => {
  it("create shows the secret once and stores only its hash; revoke refuses the key at once; each writes one event", async () => {
    const user = await createVendorAdmin();
    const admin = requireVendorPermission(user, "orgs.manage");
    const vendor = await vendorOrgId();
    const created = await createVendorKey(admin, { name: "Deploy script", scopes: ["schemas:write", "events:write"] });
    expect(created.secret).toMatch(/^ot_/);
    const [row] = await sql()<{ secret_hash: string; scopes: string[]; organization_id: string | null }[]>`select secret_hash, scopes, organization_id from api_keys where id = ${created.id}`;
    expect(row).toMatchObject({ secret_hash: hashApiKey(created.secret), scopes: ["events:write", "schemas:write"], organization_id: null });
    expect(await findApiKey(created.secret)).toMatchObject({ keyId: created.id, organizationId: null });
    const listed = (await listVendorKeys()).find((k) => k.id === created.id);
    expect(listed).toMatchObject({ name: "Deploy script", prefix: created.prefix, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const createdEvents = (await eventsOf(vendor, "orgtrail.api_key.created")).filter((e) => e.targets[0]?.id === created.id);
    expect(createdEvents).toHaveLength(1);
    expect(createdEvents[0]).toMatchObject({
      actor: { type: "user", id: user.userId, name: user.name, metadata: { email: user.email } },
      targets: [{ type: "api_key", id: created.id, name: "Deploy script" }],
      metadata: { scopes: "events:write, schemas:write", prefix: created.prefix },
    });
    expect(JSON.stringify(createdEvents)).not.toContain(created.secret);

    await revokeVendorKey(admin, created.id);
    expect(await findApiKey(created.secret)).toBeNull();
    await expect(revokeVendorKey(admin, created.id)).rejects.toMatchObject({ code: "validation_failed" });
    const revoked = (await eventsOf(vendor, "orgtrail.api_key.revoked")).filter((e) => e.targets[0]?.id === created.id);
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.actor.id).toBe(user.userId);
  });

  it("refuses bad input and non-vendor keys, writing nothing", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "orgs.manage");
    await expect(createVendorKey(admin, { name: "", scopes: [] })).rejects.toMatchObject({ code: "validation_failed", issues: [{ path: "name" }, { path: "scopes" }] });
    await expect(createVendorKey(admin, { name: "x", scopes: ["root"] })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(revokeVendorKey(admin, "not-a-uuid")).rejects.toMatchObject({ code: "not_found" });
    const org = await createOrg();
    const [orgKey] = await sql()<{ id: string }[]>`insert into api_keys (organization_id, name, prefix, secret_hash, scopes) values (${org.id}, 'org key', 'ot_x', ${`h-${org.id}`}, ${["events:write"]}) returning id`;
    await expect(revokeVendorKey(admin, orgKey!.id)).rejects.toMatchObject({ code: "not_found" });
    const owner = await createUser(org.id, "owner");
    expect(() => requireVendorPermission(owner, "orgs.manage")).toThrow(expect.objectContaining({ code: "not_found" }));
  });

  it("the key and its event roll back together", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "orgs.manage");
    const vendor = await vendorOrgId();
    const before = (await listVendorKeys()).length;
    await withFailingWrites("audit_events", "insert", vendor, () => expect(createVendorKey(admin, { name: "Doomed", scopes: ["events:read"] })).rejects.toThrow("forced failure"));
    expect((await listVendorKeys()).length).toBe(before);
  });
});

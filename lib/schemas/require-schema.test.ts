import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { countEvents, eventsOf } from "@/db/testing/app-event-assertions";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { createVendorAdmin, vendorOrgId } from "@/db/testing/vendor-fixtures";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { ingest } from "@/lib/events/ingest";
import { requireSchemaSetting, setRequireSchema } from "./require-schema";

describe("ingest.require_schema", () => {
  afterEach(async () => {
    await setRequireSchema(requireVendorPermission(await createVendorAdmin(), "schemas.manage"), false);
  });

  it("defaults to accepting actions without a schema; when on, refuses them with 422 and accepts schema'd ones", async () => {
    const user = await createVendorAdmin();
    const admin = requireVendorPermission(user, "schemas.manage");
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const unknown = `unschemaed_${randomUUID().slice(0, 8)}.happened`;

    expect(await requireSchemaSetting()).toBe(false);
    await ingest(principal, { event: event({ action: unknown }) }, null);

    const vendor = await vendorOrgId();
    const before = (await eventsOf(vendor, "orgtrail.setting.changed")).length;
    expect(await setRequireSchema(admin, true)).toEqual({ changed: true });
    expect(await setRequireSchema(admin, true)).toEqual({ changed: false });
    const changes = (await eventsOf(vendor, "orgtrail.setting.changed")).slice(before);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      actor: { type: "user", id: user.userId, metadata: { email: user.email } },
      targets: [{ type: "setting", id: "ingest.require_schema" }],
      metadata: { key: "ingest.require_schema", value_from: false, value_to: true },
    });

    await expect(ingest(principal, { event: event({ action: unknown }) }, null)).rejects.toMatchObject({
      code: "schema_mismatch",
      issues: [{ path: "event.action", message: expect.stringContaining("has no event schema") }],
    });
    // Seeded demo schema: still accepted.
    await ingest(principal, { event: event({ action: "document.viewed", targets: [{ type: "document", id: "d1" }], metadata: {} }) }, null);
    expect(await countEvents(org.id)).toBe(2);
  });

  it("is changed only by a vendor admin", async () => {
    const owner = await createUser((await createOrg()).id, "owner");
    expect(() => requireVendorPermission(owner, "schemas.manage")).toThrow(expect.objectContaining({ code: "not_found" }));
  });
});

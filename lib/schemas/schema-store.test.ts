import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { countEvents, eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { createVendorAdmin, vendorOrgId } from "@/db/testing/vendor-fixtures";
import { requireVendorPermission } from "@/lib/access/vendor-permissions";
import { AppError } from "@/lib/errors";
import { ingest } from "@/lib/events/ingest";
import { actionSummaries, unschemaedActions } from "./action-catalog";
import { parseSchemaVersion } from "./definition";
import { createAction, createVersion } from "./schema-store";
import { httpStatus } from "@/lib/api/error-response";

const newAction = () => `test_${randomUUID().slice(0, 8)}.archived`;
const reasonRequired = { type: "object", properties: { reason: { type: "string" } }, required: ["reason"] };
const reasonAndCount = { type: "object", properties: { reason: { type: "string" }, count: { type: "integer" } }, required: ["reason", "count"] };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("schema versions", () => {
  it("old versions still validate events that name them; no version means the latest", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "schemas.manage");
    const action = newAction();
    await createAction(admin, action, parseSchemaVersion({ target_types: ["project"], metadata_schema: reasonRequired, display: { label: "Project archived", columns: ["reason"] } }));
    const v2 = await createVersion(admin, action, parseSchemaVersion({ target_types: ["project"], metadata_schema: reasonAndCount, display: { label: "Project archived", columns: ["reason", "count"] } }));
    expect(v2.version).toBe(2);

    const org = await createOrg();
    const { principal } = await createKey(org.id);
    const send = (overrides: Record<string, unknown>) => ingest(principal, { event: event({ action, targets: [{ type: "project", id: "p1" }], ...overrides }) }, null);

    await send({ version: 1, metadata: { reason: "done" } });
    await send({ metadata: { reason: "done", count: 3 } });
    const stored = await sql()<{ version: number }[]>`select version from audit_events where organization_id = ${org.id} order by seq`;
    expect(stored.map((r) => r.version)).toEqual([1, 2]);

    const noVersionOldShape = await rejection(send({ metadata: { reason: "done" } }));
    expect(httpStatus(noVersionOldShape)).toBe(422);
    expect(noVersionOldShape.issues?.[0]?.path).toBe("event.metadata");
    expect(httpStatus((await rejection(send({ version: 2, metadata: { reason: "done" } }))))).toBe(422);
    const unknownVersion = await rejection(send({ version: 3, metadata: { reason: "done", count: 1 } }));
    expect(unknownVersion.issues?.[0]).toMatchObject({ path: "event.version", message: expect.stringContaining("known: 1, 2") });
    expect((await rejection(send({ version: 1, targets: [{ type: "folder", id: "f1" }], metadata: { reason: "x" } }))).issues?.[0]?.path).toBe("event.targets[0].type");
    expect(await countEvents(org.id)).toBe(2);
  });

  it("refuses an invalid JSON Schema, a column the metadata schema lacks, and an unchanged version", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "schemas.manage");
    const invalid = (() => {
      try {
        parseSchemaVersion({ metadata_schema: { type: "strng" }, actor_schema: { $id: "x" }, display: { columns: ["nope"] } });
      } catch (error) {
        return error as AppError;
      }
    })();
    expect(invalid && httpStatus(invalid)).toBe(422);
    expect(invalid?.issues).toEqual(
      expect.arrayContaining([
        { path: "metadata_schema", message: expect.stringContaining("is not a valid JSON Schema") },
        { path: "actor_schema", message: expect.stringContaining("$id is not supported") },
      ]),
    );
    expect(() => parseSchemaVersion({ metadata_schema: reasonRequired, display: { columns: ["nope"] } })).toThrow(AppError);

    const action = newAction();
    const definition = parseSchemaVersion({ metadata_schema: reasonRequired });
    await createAction(admin, action, definition);
    expect(httpStatus((await rejection(createAction(admin, action, definition))))).toBe(409);
    const unchanged = await rejection(createVersion(admin, action, definition));
    expect(unchanged.message).toContain("Nothing changed from version 1");
    expect(httpStatus((await rejection(createVersion(admin, newAction(), definition))))).toBe(404);
  });

  it("writes exactly one vendor-log event per change, with the admin as actor and the action as target", async () => {
    const user = await createVendorAdmin();
    const admin = requireVendorPermission(user, "schemas.manage");
    const vendor = await vendorOrgId();
    const action = newAction();
    await createAction(admin, action, parseSchemaVersion({ target_types: ["project"], display: { label: "Archived" } }));
    await createVersion(admin, action, parseSchemaVersion({ target_types: ["project", "folder"], display: { label: "Archived" } }));

    const created = (await eventsOf(vendor, "orgtrail.schema.action_created")).filter((e) => e.targets[0]?.id === action);
    expect(created).toHaveLength(1);
    expect(created[0]!.actor).toEqual({ type: "user", id: user.userId, name: user.name, metadata: { email: user.email } });
    expect(created[0]!.targets).toEqual([{ type: "event_action", id: action, name: "Archived" }]);
    expect(created[0]!.metadata).toMatchObject({ version: 1, target_types: "project" });
    const versioned = (await eventsOf(vendor, "orgtrail.schema.version_created")).filter((e) => e.targets[0]?.id === action);
    expect(versioned).toHaveLength(1);
    expect(versioned[0]!.metadata).toMatchObject({ version: 2, previous_version: 1, target_types: "project, folder" });
  });

  it("the new version and its event roll back together", async () => {
    const admin = requireVendorPermission(await createVendorAdmin(), "schemas.manage");
    const vendor = await vendorOrgId();
    const action = newAction();
    const before = await countEvents(vendor);
    await withFailingWrites("audit_events", "insert", vendor, () => expect(createAction(admin, action, parseSchemaVersion({}))).rejects.toThrow("forced failure"));
    const [row] = await sql()`select 1 from event_schemas where action = ${action}`;
    expect(row).toBeUndefined();
    expect(await countEvents(vendor)).toBe(before);
  });

  it("only a vendor admin (or a vendor key with schemas:write) may manage schemas; others get 404", async () => {
    const org = await createOrg();
    const owner = await createUser(org.id, "owner");
    expect(() => requireVendorPermission(owner, "schemas.manage")).toThrow(expect.objectContaining({ code: "not_found" }));
    const support = { ...owner, platformRole: "vendor_support" as const };
    expect(() => requireVendorPermission(support, "schemas.manage")).toThrow(expect.objectContaining({ code: "not_found" }));
    const orgKey = await createKey(org.id, ["schemas:write"]);
    expect(() => requireVendorPermission(orgKey.principal, "schemas.manage")).toThrow(expect.objectContaining({ code: "not_found" }));
    const readKey = await createKey(null, ["events:read"]);
    expect(() => requireVendorPermission(readKey.principal, "schemas.manage")).toThrow(expect.objectContaining({ code: "not_found" }));
    const schemaKey = await createKey(null, ["schemas:write"]);
    expect(requireVendorPermission(schemaKey.principal, "schemas.manage").entity).toEqual({ type: "api_key", id: schemaKey.principal.keyId, name: "test key" });
    expect(() => requireVendorPermission(schemaKey.principal, "orgs.manage")).toThrow(expect.objectContaining({ code: "not_found" }));
  });
});

describe("catalog", () => {
  it("lists unschemaed actions with a sample and counts from action_stats", async () => {
    const user = await createVendorAdmin();
    const admin = requireVendorPermission(user, "schemas.manage");
    const action = newAction();
    const org = await createOrg();
    const { principal } = await createKey(org.id);
    await ingest(principal, { events: [event({ action, metadata: { reason: "a" } }), event({ action, metadata: { note: "b" } })] }, null);

    const unschemaed = (await unschemaedActions()).find((a) => a.action === action);
    expect(unschemaed).toMatchObject({ eventCount: 2, organizations: 1 });
    expect(unschemaed?.sample?.action).toBe(action);

    await createAction(admin, action, parseSchemaVersion({ metadata_schema: null }));
    const summary = (await actionSummaries()).find((a) => a.action === action);
    expect(summary).toMatchObject({ versions: [1], eventCount: 2, builtIn: false });
    expect((await unschemaedActions()).some((a) => a.action === action)).toBe(false);
  });
});

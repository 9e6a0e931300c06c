import "server-only";
import { sql } from "@/db/client";
import { vendorOrganizationId } from "@/lib/access/organizations";
import type { VendorActor } from "@/lib/access/vendor-permissions";
import { recordAppEvent } from "@/lib/events/app-events";
import { invalidateSchemaCache } from "@/lib/events/schema-check/registry";
import { REQUIRE_SCHEMA_SETTING } from "@/lib/events/schema-check/setting-keys";

/** Whether ingest refuses events of an action with no schema (default: accepted). */
export async function requireSchemaSetting(): Promise<boolean> {
  const [row] = await sql()<{ value: unknown }[]>`select value from settings where key = ${REQUIRE_SCHEMA_SETTING}`;
  return row?.value === true;
}

/** Turns the setting on or off, recorded in the vendor log in the same transaction; setting it to its current value changes nothing. */
export async function setRequireSchema(actor: VendorActor, required: boolean): Promise<{ changed: boolean }> {
  const changed = await sql().begin(async (tx) => {
    // Serializes concurrent flips so each recorded event names the value it replaced.
    await tx`select pg_advisory_xact_lock(hashtext(${`settings:${REQUIRE_SCHEMA_SETTING}`}))`;
    const [row] = await tx<{ value: unknown }[]>`select value from settings where key = ${REQUIRE_SCHEMA_SETTING}`;
    const current = row?.value === true;
    if (current === required) return false;
    await tx`insert into settings (key, value, updated_at) values (${REQUIRE_SCHEMA_SETTING}, ${tx.json(required)}, now())
      on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`;
    await recordAppEvent(tx, await vendorOrganizationId(tx), {
      action: "orgtrail.setting.changed",
      actor: actor.entity,
      targets: [{ type: "setting", id: REQUIRE_SCHEMA_SETTING, name: "Require a schema for every action" }],
      metadata: { key: REQUIRE_SCHEMA_SETTING, value_from: current, value_to: required },
    });
    return true;
  });
  invalidateSchemaCache();
  return { changed };
}

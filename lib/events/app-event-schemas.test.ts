import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createOrg, createUser } from "@/db/testing/fixtures";
import { countEvents, eventsOf } from "@/db/testing/app-event-assertions";
import { authenticate } from "@/lib/accounts/sign-in";
import { APP_EVENT_SCHEMAS, ensureAppEventSchemas } from "./app-event-schemas";
import { recordAppEvent } from "./app-events";
import { eventInputSchema } from "./event-input";

describe("app event schemas", () => {
  it("every orgtrail.* action has a stored schema with a label and severity, and seeding again adds nothing", async () => {
    expect(await ensureAppEventSchemas(sql())).toBe(0);
    const rows = await sql()<{ action: string; display: { label?: string; severity?: string } }[]>`
      select distinct on (action) action, display from event_schemas where action like 'orgtrail.%' order by action, version desc`;
    const stored = new Map(rows.map((r) => [r.action, r.display]));
    for (const schema of APP_EVENT_SCHEMAS) {
      expect(stored.get(schema.action)?.label, schema.action).toBeTruthy();
      expect(stored.get(schema.action)?.severity, schema.action).toBeTruthy();
    }
  });

  it("recordAppEvent refuses an event that does not match its schema, and the transaction writes nothing", async () => {
    const org = await createOrg();
    const write = (metadata: Record<string, string | number>) =>
      sql().begin(async (tx) => {
        await tx`update organizations set retention_days = 400 where id = ${org.id}`;
        await recordAppEvent(tx, org.id, { action: "orgtrail.retention.changed", actor: { type: "user", id: "u" }, targets: [{ type: "organization", id: org.id }], metadata });
      });
    await expect(write({ days_from: "365" })).rejects.toThrow("does not match its schema");
    const [row] = await sql()<{ retention_days: number }[]>`select retention_days from organizations where id = ${org.id}`;
    expect(row!.retention_days).toBe(365);
    expect(await countEvents(org.id)).toBe(0);
    await write({ days_from: 365, days_to: 400 });
    expect(await eventsOf(org.id, "orgtrail.retention.changed")).toHaveLength(1);
  });

  it("customers cannot ingest orgtrail.* actions", () => {
    const parsed = eventInputSchema.safeParse({ action: "orgtrail.member.removed", occurred_at: new Date().toISOString(), actor: { type: "user", id: "u" } });
    expect(parsed.success).toBe(false);
  });
});

describe("sign-in events", () => {
  it("a failed sign-in goes into each of the account's orgs; an unknown email gets the same answer and writes nothing", async () => {
    const a = await createOrg();
    const b = await createOrg();
    const user = await createUser(a.id, "member", "u_signin");
    await sql()`insert into memberships (organization_id, user_id, role) values (${b.id}, ${user.userId}, 'auditor')`;
    const context = { email: user.email, password: "wrong", ip: "198.51.100.4", userAgent: "vitest" };
    expect(await authenticate(context)).toBeNull();
    expect(await authenticate({ ...context, email: `nobody-${a.slug}@example.test` })).toBeNull();
    // Written after the answer, in one transaction for all the account's orgs (lib/accounts/sign-in.ts says why).
    await expect.poll(async () => (await eventsOf(b.id, "orgtrail.user.sign_in_failed")).length).toBe(1);
    const inA = await eventsOf(a.id, "orgtrail.user.sign_in_failed");
    expect(inA).toHaveLength(1);
    expect(inA[0]).toMatchObject({ actor: { type: "user", id: "u_signin", metadata: { email: user.email } }, metadata: { reason: "wrong_password" }, ip: "198.51.100.4" });
    expect(await eventsOf(b.id, "orgtrail.user.sign_in_failed")).toMatchObject([{ actor: { id: user.userId } }]);
  });
});

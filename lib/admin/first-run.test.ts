import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { eventsOf, TEST_CONTEXT } from "@/db/testing/app-event-assertions";
import { race } from "@/db/testing/race";
import { vendorOrgId, withoutVendorAdmins } from "@/db/testing/vendor-fixtures";
import { hashOneTimeToken } from "@/lib/auth/one-time-link";
import { verifyPassword } from "@/lib/auth/password";
import { createFirstAdmin, hasVendorAdmin, issueSetupToken, SETUP_TOKEN_SETTING } from "./first-run";

const PASSWORD = "first admin passphrase";

const tokenOf = (url: string) => new URL(url).searchParams.get("token")!;
const email = () => `first-${randomUUID().slice(0, 8)}@vendor.example`;

async function storedSetupToken(): Promise<{ hash: string; expires_at: string } | undefined> {
  const [row] = await sql()<{ value: { hash: string; expires_at: string } }[]>`select value from settings where key = ${SETUP_TOKEN_SETTING}`;
  return row?.value;
}

describe("first run", () => {
  it("each start stores a new setup token's hash; only the latest creates the first admin, once, recorded in the vendor log", async () => {
    await withoutVendorAdmins(async () => {
      const first = await issueSetupToken();
      const latest = await issueSetupToken();
      expect(first && latest).toBeTruthy();
      expect(latest!.url).toMatch(/\/setup\?token=[A-Za-z0-9_-]{43}$/);
      expect(await storedSetupToken()).toMatchObject({ hash: hashOneTimeToken(tokenOf(latest!.url)) });

      const input = { email: email(), name: "Ada Admin", password: PASSWORD };
      await expect(createFirstAdmin({ ...input, token: tokenOf(first!.url) }, TEST_CONTEXT)).rejects.toMatchObject({ code: "forbidden" });
      await expect(createFirstAdmin({ ...input, token: "x".repeat(43) }, TEST_CONTEXT)).rejects.toMatchObject({ code: "forbidden" });
      expect(await hasVendorAdmin()).toBe(false);

      await expect(createFirstAdmin({ ...input, token: tokenOf(latest!.url) }, TEST_CONTEXT)).resolves.toEqual({ email: input.email });
      const [user] = await sql()<{ id: string; password_hash: string; platform_role: string }[]>`select id, password_hash, platform_role from users where email = ${input.email}`;
      expect(user!.platform_role).toBe("vendor_admin");
      expect(await verifyPassword(PASSWORD, user!.password_hash)).toBe(true);
      expect(await storedSetupToken()).toBeUndefined();
      const events = (await eventsOf(await vendorOrgId(), "orgtrail.staff.created")).filter((e) => e.actor.id === user!.id);
      expect(events).toEqual([
        expect.objectContaining({
          actor: { type: "user", id: user!.id, name: "Ada Admin", metadata: { email: input.email } },
          targets: [{ type: "user", id: user!.id, name: "Ada Admin", metadata: { email: input.email } }],
          metadata: { role: "vendor_admin", method: "setup", new_account: true },
          ip: TEST_CONTEXT.ip,
        }),
      ]);

      await expect(createFirstAdmin({ ...input, email: email(), token: tokenOf(latest!.url) }, TEST_CONTEXT)).rejects.toMatchObject({ code: "not_found" });
      expect(await issueSetupToken()).toBeNull();
    });
  });

  it("two browsers racing with the same link make one admin", async () => {
    await withoutVendorAdmins(async () => {
      const token = tokenOf((await issueSetupToken())!.url);
      const emails = [email(), email()];
      // Holding the vendor log's row makes both requests arrive before either can commit.
      const results = await race(
        (tx) => tx`select 1 from organizations where kind = 'vendor' for update`,
        emails.map((e) => () => createFirstAdmin({ token, email: e, name: "Racer", password: PASSWORD }, TEST_CONTEXT)),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const [{ n }] = await sql()<{ n: string }[]>`select count(*) as n from users where email = any(${emails}) and platform_role = 'vendor_admin'`;
      expect(Number(n)).toBe(1);
    });
  });

  it("refuses an expired token, an email that has an account and a short password, and writes nothing", async () => {
    await withoutVendorAdmins(async () => {
      const token = tokenOf((await issueSetupToken())!.url);
      await expect(createFirstAdmin({ token, email: "owner@acme.test", name: "Taken", password: PASSWORD }, TEST_CONTEXT)).rejects.toMatchObject({
        code: "conflict",
        issues: [{ path: "email" }],
      });
      await expect(createFirstAdmin({ token, email: email(), name: "Short", password: "short" }, TEST_CONTEXT)).rejects.toThrow("at least 12 characters");
      await sql()`update settings set value = jsonb_set(value, '{expires_at}', to_jsonb(${new Date(Date.now() - 1000).toISOString()}::text)) where key = ${SETUP_TOKEN_SETTING}`;
      await expect(createFirstAdmin({ token, email: email(), name: "Late", password: PASSWORD }, TEST_CONTEXT)).rejects.toMatchObject({ code: "forbidden" });
      expect(await hasVendorAdmin()).toBe(false);
      await sql()`delete from settings where key = ${SETUP_TOKEN_SETTING}`;
    });
  });
});

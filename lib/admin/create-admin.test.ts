import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { eventsOf } from "@/db/testing/app-event-assertions";
import { createUser } from "@/db/testing/fixtures";
import { createVendorAdmin, vendorOrgId, withoutVendorAdmins } from "@/db/testing/vendor-fixtures";
import { hashOneTimeToken } from "@/lib/auth/one-time-link";
import { verifyPassword } from "@/lib/auth/password";
import { consumeSetPasswordToken } from "@/lib/accounts/set-password";
import { createAdminFromCli } from "./create-admin";

const run = promisify(execFile);
const TSX = path.resolve("node_modules", ".bin", "tsx");
const LINK = "https://audit.example.com";

function withoutSecret(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NEXTAUTH_SECRET;
  return copy;
}

/** `npm run orgtrail -- …` as a child process against the test database. */
async function orgtrail(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ["--conditions=react-server", "scripts/orgtrail-cli.ts", ...args], {
      // No NEXTAUTH_SECRET: the command needs none.
      env: { ...withoutSecret(process.env), NEXTAUTH_URL: LINK },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const email = () => `staff-${randomUUID().slice(0, 8)}@vendor.example`;

describe("orgtrail create-admin", () => {
  it("creates the account without a password, stores only the link's hash, audits it, and the printed link sets the password", { timeout: 90_000 }, async () => {
    const address = email();
    const result = await orgtrail("create-admin", "--email", address.toUpperCase(), "--name", "Sam Support", "--role", "vendor_support");
    expect(result).toMatchObject({ code: 0 });
    const url = result.stdout.match(/^(https:\/\/audit\.example\.com\/set-password\/[A-Za-z0-9_-]{43})$/m)?.[1];
    expect(url, result.stdout).toBeTruthy();
    expect(result.stdout).toMatch(/valid until \d{4}-\d\d-\d\dT/);
    const token = url!.split("/").pop()!;

    const [user] = await sql()<{ id: string; name: string; password_hash: string | null; platform_role: string }[]>`
      select id, name, password_hash, platform_role from users where email = ${address}`;
    expect(user).toMatchObject({ name: "Sam Support", password_hash: null, platform_role: "vendor_support" });
    const tokens = await sql()<{ token_hash: string }[]>`select token_hash from user_tokens where user_id = ${user!.id}`;
    expect(tokens).toEqual([{ token_hash: hashOneTimeToken(token) }]);

    const events = (await eventsOf(await vendorOrgId(), "orgtrail.staff.created")).filter((e) => e.targets[0]?.id === user!.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: { type: "system", id: "orgtrail.cli", name: "Orgtrail CLI", metadata: { host: expect.any(String), os_user: expect.any(String) } },
      targets: [{ type: "user", id: user!.id, name: "Sam Support", metadata: { email: address } }],
      metadata: { role: "vendor_support", method: "cli", new_account: true, link_expires_at: expect.any(String) },
    });
    expect(JSON.stringify(events)).not.toContain(token);

    await consumeSetPasswordToken(token, "support staff passphrase");
    const [after] = await sql()<{ password_hash: string }[]>`select password_hash from users where id = ${user!.id}`;
    expect(await verifyPassword("support staff passphrase", after!.password_hash)).toBe(true);
  });

  it("gives an existing account the role (vendor_admin by default) and says what it was before", async () => {
    const existing = await createUser(null, null);
    const created = await createAdminFromCli({ email: existing.email });
    expect(created).toMatchObject({ email: existing.email, role: "vendor_admin", newAccount: false });
    const [user] = await sql()<{ name: string; platform_role: string; password_hash: string }[]>`select name, platform_role, password_hash from users where id = ${existing.userId}`;
    expect(user).toEqual({ name: "Test User", platform_role: "vendor_admin", password_hash: "x" });
    const events = (await eventsOf(await vendorOrgId(), "orgtrail.staff.created")).filter((e) => e.targets[0]?.id === existing.userId);
    expect(events.map((e) => e.metadata)).toEqual([expect.objectContaining({ role: "vendor_admin", new_account: false })]);

    const support = await createAdminFromCli({ email: existing.email, role: "vendor_support" });
    expect(support).toMatchObject({ role: "vendor_support", newAccount: false });
    const again = (await eventsOf(await vendorOrgId(), "orgtrail.staff.created")).filter((e) => e.targets[0]?.id === existing.userId);
    expect(again[1]!.metadata).toMatchObject({ role: "vendor_support", role_from: "vendor_admin" });
  });

  it("will not demote the only vendor admin", async () => {
    const admin = await createVendorAdmin();
    await withoutVendorAdmins(async () => {
      await sql()`update users set platform_role = 'vendor_admin' where id = ${admin.userId}`;
      await expect(createAdminFromCli({ email: admin.email, role: "vendor_support" })).rejects.toMatchObject({ code: "conflict" });
      const [user] = await sql()<{ platform_role: string }[]>`select platform_role from users where id = ${admin.userId}`;
      expect(user!.platform_role).toBe("vendor_admin");
    });
  });

  it("a bad email, role or command: exit code 1, a clear message, nothing written", { timeout: 90_000 }, async () => {
    const [{ n: before }] = await sql()<{ n: string }[]>`select count(*) as n from users`;
    const badEmail = await orgtrail("create-admin", "--email", "not-an-email");
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toContain("--email must be an email address");
    const badRole = await orgtrail("create-admin", "--email", email(), "--role", "owner");
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain("--role must be vendor_admin or vendor_support");
    const noCommand = await orgtrail("--email", email());
    expect(noCommand.code).toBe(1);
    expect(noCommand.stderr).toContain("Usage: npm run orgtrail -- create-admin");
    const [{ n: after }] = await sql()<{ n: string }[]>`select count(*) as n from users`;
    expect(after).toBe(before);
  });
});

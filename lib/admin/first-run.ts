import "server-only";
import type postgres from "postgres";
import { z } from "zod";
import { sql } from "@/db/client";
import { emailSchema } from "@/lib/members/invites";
import { isUniqueViolation } from "@/lib/members/members";
import { vendorOrganizationId } from "@/lib/access/organizations";
import { AppError, notFound } from "@/lib/errors";
import { appLink, generateOneTimeToken, oneTimeTokenMatches } from "@/lib/auth/one-time-link";
import { hashPassword, newPasswordSchema } from "@/lib/auth/password";
import { userEntity } from "@/lib/access/actor";
import type { RequestContext } from "@/lib/auth/request-context";
import { recordAppEvent } from "@/lib/events/app-events";

/**
 * The first run: while no vendor admin exists, each server start writes a new
 * setup token (only its hash, in `settings`) and prints the link to /setup, where
 * the person who can read the server log creates the first vendor admin. Every
 * start replaces the token, so with several instances the link printed last works.
 */
export const SETUP_TOKEN_SETTING = "setup_token";
export const SETUP_TOKEN_TTL_HOURS = 24;

// Serializes the first-admin check with its creation, whichever instance runs it.
const FIRST_ADMIN_LOCK = "orgtrail:first-vendor-admin";

const storedSetupToken = z.object({ hash: z.string(), expires_at: z.iso.datetime() });

export const staffNameSchema = z.string().trim().min(1, "is required").max(200, "must be at most 200 characters");

export const firstAdminInput = z.object({
  token: z.string().trim(),
  email: emailSchema,
  name: staffNameSchema,
  password: newPasswordSchema,
});

export async function hasVendorAdmin(db: postgres.Sql | postgres.TransactionSql = sql()): Promise<boolean> {
  const [row] = await db`select 1 from users where platform_role = 'vendor_admin' limit 1`;
  return Boolean(row);
}

/**
 * At server start: a fresh setup link while no vendor admin exists (null once
 * one does, and any old token is deleted then).
 */
export async function issueSetupToken(): Promise<{ url: string; expiresAt: Date } | null> {
  return sql().begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${FIRST_ADMIN_LOCK}))`;
    if (await hasVendorAdmin(tx)) {
      await tx`delete from settings where key = ${SETUP_TOKEN_SETTING}`;
      return null;
    }
    const { token, hash } = generateOneTimeToken();
    const expiresAt = new Date(Date.now() + SETUP_TOKEN_TTL_HOURS * 3_600_000);
    const value = { hash, expires_at: expiresAt.toISOString() };
    await tx`insert into settings (key, value, updated_at) values (${SETUP_TOKEN_SETTING}, ${tx.json(value)}, now())
      on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`;
    return { url: appLink(`/setup?token=${token}`), expiresAt };
  });
}

const INVALID_TOKEN = "This setup token is not valid or has expired. Use the link printed in the server log at the last start, or restart the server for a new one.";

/**
 * Creates the first vendor admin with the setup token. The token check, the
 * "no vendor admin yet" check and the creation run under one lock in one
 * transaction, so two browsers racing with the same link make one admin.
 */
export async function createFirstAdmin(input: unknown, context: RequestContext): Promise<{ email: string }> {
  const { token, email, name, password } = firstAdminInput.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    return await sql().begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${FIRST_ADMIN_LOCK}))`;
      if (await hasVendorAdmin(tx)) throw notFound("Orgtrail already has a vendor admin: sign in instead");
      const [row] = await tx<{ value: unknown }[]>`select value from settings where key = ${SETUP_TOKEN_SETTING}`;
      const stored = storedSetupToken.safeParse(row?.value);
      const valid = stored.success && new Date(stored.data.expires_at) > new Date() && oneTimeTokenMatches(token, stored.data.hash);
      if (!valid) throw new AppError("forbidden", INVALID_TOKEN, [{ path: "token", message: "is not the current setup token" }]);
      const [user] = await tx<{ id: string }[]>`
        insert into users (email, name, password_hash, platform_role) values (${email}, ${name}, ${passwordHash}, 'vendor_admin') returning id`;
      await tx`delete from settings where key = ${SETUP_TOKEN_SETTING}`;
      const admin = userEntity({ id: user!.id, name, email }, null);
      await recordAppEvent(tx, await vendorOrganizationId(tx), {
        action: "orgtrail.staff.created",
        actor: admin,
        targets: [admin],
        metadata: { role: "vendor_admin", method: "setup", new_account: true },
        ...context,
      });
      return { email };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_unique")) {
      throw new AppError("conflict", `An account with ${email} exists: make it a vendor admin with npm run orgtrail -- create-admin --email ${email}`, [
        { path: "email", message: "already has an account" },
      ]);
    }
    throw error;
  }
}

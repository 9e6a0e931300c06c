/**
 * `npm run orgtrail -- <command>`: administration from the server's shell.
 *
 *   create-admin --email a@b.c [--name "…"] [--role vendor_admin|vendor_support]
 *
 * Works against DATABASE_URL or, when it is unset, the embedded server in
 * ORGTRAIL_DATA_DIR (the running app's, or one started for the command).
 * Migrations run first, so it also works before the app was ever started.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { runningEmbeddedPostgresUrl, startEmbeddedPostgres, type EmbeddedServer } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { zodIssues } from "../lib/errors";

const USAGE = `Usage: npm run orgtrail -- create-admin --email <email> [--name "<name>"] [--role vendor_admin|vendor_support]

  create-admin   Makes the account vendor staff (creating it when the email is new)
                 and prints a one-time link to set its password (valid 24 hours).`;

function parseCommand(argv: string[]): { email: string; name?: string; role?: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const [command, ...rest] = positionals;
  if (command !== "create-admin") throw new Error(command ? `unknown command "${command}"` : "no command given");
  if (rest.length > 0) throw new Error(`unexpected argument "${rest[0]}"`);
  if (!values.email) throw new Error("--email is required");
  return { email: values.email, name: values.name, role: values.role };
}

async function database(): Promise<{ url: string; embedded: EmbeddedServer | null }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  const dataDir = path.resolve(process.env.ORGTRAIL_DATA_DIR ?? ".data", "pg");
  const running = runningEmbeddedPostgresUrl(dataDir);
  if (running) return { url: running, embedded: null };
  const embedded = await startEmbeddedPostgres(dataDir);
  return { url: embedded.url, embedded };
}

async function main(): Promise<void> {
  let input: ReturnType<typeof parseCommand>;
  try {
    input = parseCommand(process.argv.slice(2));
  } catch (error) {
    console.error(`[orgtrail] ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(1);
  }
  const { url, embedded } = await database();
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_URL ??= `http://localhost:${process.env.PORT ?? 3000}`;
  // The app's environment check requires a session secret; this command signs nothing with it.
  if (!process.env.NEXTAUTH_SECRET) process.env.NEXTAUTH_SECRET = randomBytes(32).toString("base64url");
  try {
    await runMigrations(url);
    const { sql, closeDb } = await import("../db/client");
    const { ensureAppEventSchemas } = await import("../lib/events/app-event-schemas");
    const { createAdminFromCli } = await import("../lib/admin/create-admin");
    try {
      await ensureAppEventSchemas(sql());
      const created = await createAdminFromCli(input);
      console.log(`[orgtrail] ${created.email} is now ${created.role}${created.newAccount ? " (new account)" : ""}.`);
      console.log(`[orgtrail] One-time link to set the password (valid until ${created.link.expiresAt.toISOString()}):`);
      console.log(created.link.url);
    } finally {
      await closeDb();
    }
  } finally {
    await embedded?.stop();
  }
}

function describe(error: unknown): string {
  if (error instanceof ZodError) return zodIssues(error).map((issue) => `--${issue.path} ${issue.message}`).join("; ");
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(`[orgtrail] create-admin failed: ${describe(error)}`);
  process.exit(1);
});

import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { runMigrations } from "@/db/migrate";
import { vendorOrganizationId } from "./organizations";

/** A fresh, empty database beside the test database, dropped after `run`. */
async function withEmptyDatabase(run: (url: string) => Promise<void>): Promise<void> {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `${base.pathname.slice(1)}_empty_${randomUUID().slice(0, 8)}`;
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    await run(url.toString());
  } finally {
    await admin.unsafe(`drop database "${name}" with (force)`);
    await admin.end();
  }
}

describe("the vendor organization", () => {
  it("exists on a database that only ran the migrations (no demo data), and its absence is a clear error", { timeout: 60_000 }, async () => {
    await withEmptyDatabase(async (url) => {
      await runMigrations(url);
      const db = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const vendors = await db<{ id: string; slug: string }[]>`select id, slug from organizations where kind = 'vendor'`;
        expect(vendors).toHaveLength(1);
        expect(vendors[0]!.slug).toBe("vendor");
        expect(await vendorOrganizationId(db)).toBe(vendors[0]!.id);
        await db.begin(async (tx) => expect(await vendorOrganizationId(tx)).toBe(vendors[0]!.id));

        await db`delete from organizations where kind = 'vendor'`;
        await expect(vendorOrganizationId(db)).rejects.toThrow("The vendor organization is missing: run the database migrations");
      } finally {
        await db.end();
      }
    });
  });
});

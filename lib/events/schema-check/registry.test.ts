import { afterAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { sql } from "@/db/client";
import { schemaVersions } from "./registry";

// Another process: its own connection, writing and announcing as invalidateSchemaCache does there.
const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
const ACTION = `registry.cross_process_${Date.now()}`;

afterAll(async () => {
  await sql()`delete from event_schemas where action = ${ACTION}`;
  await other.end();
});

const addVersion = (version: number) => other`insert into event_schemas (action, version) values (${ACTION}, ${version})`;
const versions = async () => (await schemaVersions(ACTION)).map((c) => c.row.version);

describe("the schema registry's copy in a process", () => {
  it("is kept between reads, and a change another process announces drops it at once (not after the 5 s refresh)", async () => {
    await addVersion(1);
    // The first reads load the copy and start listening (the listener's start drops the copy once more).
    await expect.poll(versions, { timeout: 5_000 }).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await versions();

    await addVersion(2);
    expect(await versions(), "a change nobody announced is not read yet: the copy is kept").toEqual([1]);
    const announced = Date.now();
    await other`select pg_notify('orgtrail_event_schemas_changed', '')`;
    await expect.poll(versions, { timeout: 2_000, interval: 50 }).toEqual([1, 2]);
    expect(Date.now() - announced).toBeLessThan(2_000);
  });
});

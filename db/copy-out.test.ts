import { describe, expect, it } from "vitest";
import { sql } from "./client";
import { copyOut } from "./copy-out";

// About a gigabyte of output: minutes of work if nothing stopped it.
const BIG = "copy (select g, repeat('x', 100) from generate_series(1, 10000000) g) to stdout (format csv)";

async function exportSessions(): Promise<{ pid: number; state: string }[]> {
  return sql()`select pid, state from pg_stat_activity where application_name = 'orgtrail-export' and datname = current_database()`;
}

async function expectNoExportSession() {
  await expect.poll(exportSessions, { timeout: 3_000, interval: 50 }).toEqual([]);
}

describe("copyOut", () => {
  it("streams every byte of the COPY and leaves no connection behind", async () => {
    let text = "";
    for await (const chunk of copyOut("copy (select g, 'a,\"b\"' from generate_series(1, 3) g) to stdout (format csv)")) text += chunk.toString();
    expect(text).toBe('1,"a,""b"""\n2,"a,""b"""\n3,"a,""b"""\n');
    await expectNoExportSession();
  });

  it("ends the server's work when the reader stops early", async () => {
    for await (const chunk of copyOut(BIG)) {
      expect(chunk.length).toBeGreaterThan(0);
      expect(await exportSessions()).toHaveLength(1);
      break;
    }
    await expectNoExportSession();
  });

  it("ends the server's work when the signal aborts while the reader waits, without reading on", async () => {
    const controller = new AbortController();
    const chunks = copyOut(BIG, controller.signal);
    expect((await chunks.next()).done).toBe(false);
    // The reader does not come back for more (a client that went away): only the signal stops the query.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await exportSessions()).toHaveLength(1);
    controller.abort(new Error("client gone"));
    await expectNoExportSession();
    await expect(chunks.next()).rejects.toThrow();
  });

  it("reports a failing statement as an error", async () => {
    const read = async () => {
      for await (const chunk of copyOut("copy (select 1 / 0) to stdout (format csv)")) expect(chunk).toBeUndefined();
    };
    await expect(read()).rejects.toThrow(/division by zero/);
    await expectNoExportSession();
  });
});

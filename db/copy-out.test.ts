import { describe, expect, it } from "vitest";
import { sql } from "./client";
import { copyOut, EXPORT_APPLICATION_NAME } from "./copy-out";
import { exportSessions } from "./testing/fixtures";

// About a gigabyte of output: minutes of work if nothing stopped it.
const BIG = "copy (select g, repeat('x', 100) from generate_series(1, 10000000) g) to stdout (format csv)";

const openSockets = () => process.getActiveResourcesInfo().filter((resource) => resource === "TCPSocketWrap" || resource === "PipeWrap").length;

/** Open sockets once the test's pool has the connections it will use (its queries may overlap the export's end). */
async function socketsBefore(): Promise<number> {
  await Promise.all([exportSessions(), exportSessions(), exportSessions()]);
  return openSockets();
}

/** What each export's server process waits on: `ClientWrite` once it has filled the pipe to a reader that takes no more. */
async function exportWaits(): Promise<(string | null)[]> {
  const rows = await sql()<{ wait_event: string | null }[]>`
    select wait_event from pg_stat_activity where application_name = ${EXPORT_APPLICATION_NAME} and datname = current_database()`;
  return rows.map((r) => r.wait_event);
}

/** No export session on the server, and no socket left open in this process beyond those open before. */
async function expectNoExportSession(socketsBefore: number) {
  await expect.poll(exportSessions, { timeout: 3_000, interval: 50 }).toEqual([]);
  await expect.poll(openSockets, { timeout: 3_000, interval: 50 }).toBeLessThanOrEqual(socketsBefore);
}

describe("copyOut", () => {
  it("streams every byte of the COPY and leaves no connection behind", async () => {
    const sockets = await socketsBefore();
    let text = "";
    for await (const chunk of copyOut("copy (select g, 'a,\"b\"' from generate_series(1, 3) g) to stdout (format csv)")) text += chunk.toString();
    expect(text).toBe('1,"a,""b"""\n2,"a,""b"""\n3,"a,""b"""\n');
    await expectNoExportSession(sockets);
  });

  it("ends the server's work when the reader stops early", async () => {
    const sockets = await socketsBefore();
    for await (const chunk of copyOut(BIG)) {
      expect(chunk.length).toBeGreaterThan(0);
      expect(await exportSessions()).toHaveLength(1);
      break;
    }
    await expectNoExportSession(sockets);
  });

  it("ends the server's work when the signal aborts while the reader waits, without reading on", async () => {
    const sockets = await socketsBefore();
    const controller = new AbortController();
    const chunks = copyOut(BIG, controller.signal);
    expect((await chunks.next()).done).toBe(false);
    // The reader does not come back for more (a client that went away): the server fills the pipe and waits
    // on it, still running, and only the signal stops the query.
    await expect.poll(exportWaits, { timeout: 10_000, interval: 50 }).toEqual(["ClientWrite"]);
    controller.abort(new Error("client gone"));
    await expectNoExportSession(sockets);
    await expect(chunks.next()).rejects.toThrow();
  });

  it("reports a failing statement as an error", async () => {
    const sockets = await socketsBefore();
    const read = async () => {
      for await (const chunk of copyOut("copy (select 1 / 0) to stdout (format csv)")) expect(chunk).toBeUndefined();
    };
    await expect(read()).rejects.toThrow(/division by zero/);
    await expectNoExportSession(sockets);
  });
});

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { webProcessCount } from "./web-processes";

describe("ORGTRAIL_WEB_PROCESSES", () => {
  it("is 1 unless set (empty is unset), and takes a whole number from 1 to 64", () => {
    expect(webProcessCount(undefined)).toBe(1);
    expect(webProcessCount("")).toBe(1);
    expect(webProcessCount("2")).toBe(2);
    expect(webProcessCount("64")).toBe(64);
  });

  it.each(["0", "-1", "1.5", "65", "two"])("refuses %j", (value) => {
    expect(() => webProcessCount(value)).toThrow(`ORGTRAIL_WEB_PROCESSES must be a whole number from 1 to 64, not ${JSON.stringify(value)}`);
  });

  it("stops the launcher before it starts anything, with the reason", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "orgtrail-web-processes-"));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, ORGTRAIL_WEB_PROCESSES: "many", NODE_ENV: "production", ORGTRAIL_DATA_DIR: dataDir };
      delete env.DATABASE_URL;
      const launch = promisify(execFile)(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/launch.ts", "start"], { env, timeout: 25_000 });
      await expect(launch).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('[orgtrail] failed to start: ORGTRAIL_WEB_PROCESSES must be a whole number from 1 to 64, not "many"') });
      // No embedded database was made for it.
      expect(existsSync(path.join(dataDir, "pg"))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

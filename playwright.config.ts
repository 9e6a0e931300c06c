import { existsSync } from "node:fs";
import { chromium, defineConfig } from "@playwright/test";

/** A Chromium to drive: $CHROMIUM_PATH, then Debian's, then Playwright's own download. */
function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return bundled;
  throw new Error("No Chromium found for the browser tests. Install one (apt-get install chromium) or set CHROMIUM_PATH to its executable.");
}

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: ".ci/results/playwright.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: findChromium(),
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: {
    command: process.env.E2E_SERVER_COMMAND ?? "npm start",
    url: `${baseURL}/api/v1/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      NEXTAUTH_URL: baseURL,
      ORGTRAIL_DATA_DIR: process.env.ORGTRAIL_DATA_DIR ?? ".data-e2e",
      ORGTRAIL_SEED_DEMO: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      // e2e/log-streams.spec.ts streams to a receiver on 127.0.0.1 over http.
      ORGTRAIL_STREAMS_ALLOW_PRIVATE: "1",
    },
  },
});

import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Browser, type Page } from "@playwright/test";
import postgres from "postgres";
import { cpuMs, processTree } from "../bench/lib/cpu";

/**
 * A self-hoster's first day, on the production build: an empty database, the
 * setup link from the server log, the first vendor admin, a customer
 * organization and its owner, a vendor key, a first event the owner then reads,
 * and a support account made with the CLI. Only the UI, the CLI and the API.
 * This spec starts a server of its own; the demo server of the config is unused.
 * It runs two web processes on the port (ORGTRAIL_WEB_PROCESSES=2), so the
 * journey's requests alternate between them, as behind a load balancer.
 */

const TSX = path.resolve("node_modules", ".bin", "tsx");
const PASSWORD = "first-run passphrase 42";
const ADMIN = { email: "admin@firstrun.example", name: "Ada Admin" };
const OWNER = { email: "owner@initech.example", name: "Olive Owner" };
const SUPPORT = "support@firstrun.example";
const WEB_PROCESSES = 2;

type Database = { env: Record<string, string>; drop: () => Promise<void> };

let server: ChildProcess;
let baseURL: string;
let serverLog = "";
let database: Database;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** An empty database: a fresh one beside DATABASE_URL's, else an embedded server in a temporary directory. */
async function emptyDatabase(): Promise<Database> {
  if (!process.env.DATABASE_URL) {
    const dataDir = mkdtempSync(path.join(tmpdir(), "orgtrail-firstrun-"));
    return { env: { ORGTRAIL_DATA_DIR: dataDir }, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const url = new URL(process.env.DATABASE_URL);
  const name = `${url.pathname.slice(1)}_firstrun_${randomBytes(4).toString("hex")}`;
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** The environment of `npm start` in production on that database, without the demo data. */
function productionEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ["DATABASE_URL", "ORGTRAIL_DATA_DIR", "ORGTRAIL_SEED_DEMO", "E2E_PORT"]) delete env[key];
  return {
    ...env,
    ...database.env,
    NODE_ENV: "production",
    NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
    PORT: String(port),
    NEXTAUTH_URL: `http://localhost:${port}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    NEXT_TELEMETRY_DISABLED: "1",
    ORGTRAIL_WEB_PROCESSES: String(WEB_PROCESSES),
  };
}

/** The Next.js processes under the launcher (their title is "next-server (v…)"). */
const webProcesses = () =>
  processTree(server.pid!).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("next-server");
    } catch {
      return false; // exited meanwhile
    }
  });

/** Resolves with the first match of `pattern` in the server's output, as it arrives. */
function waitForLog(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = serverLog.match(pattern);
      if (match) return finish(() => resolve(match));
      if (server.exitCode !== null) finish(() => reject(new Error(`the server exited (${server.exitCode}):\n${serverLog}`)));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} in the server log within ${timeoutMs} ms:\n${serverLog}`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      server.stdout!.off("data", check);
      server.off("exit", check);
      settle();
    };
    server.stdout!.on("data", check);
    server.on("exit", check);
    check();
  });
}

/** `npm run orgtrail -- …` against the same database as the server. */
async function orgtrailCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(TSX, ["--conditions=react-server", "scripts/orgtrail-cli.ts", ...args], {
    env: productionEnv(Number(new URL(baseURL).port)),
    timeout: 120_000,
  });
  return stdout;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function fillNewPassword(page: Page): Promise<void> {
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
}

const newPage = async (browser: Browser) => (await browser.newContext({ baseURL })).newPage();

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  database = await emptyDatabase();
  const port = await freePort();
  baseURL = `http://localhost:${port}`;
  server = spawn(TSX, ["--conditions=react-server", "scripts/launch.ts", "start"], { env: productionEnv(port), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (chunk: Buffer) => (serverLog += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (serverLog += chunk.toString()));
  await waitForLog(new RegExp(Array(WEB_PROCESSES).fill("Ready in").join("[\\s\\S]*")), 240_000);
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    process.kill(-server.pid!, "SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 30_000))]);
    if (!stopped) process.kill(-server.pid!, "SIGKILL");
  }
  await database?.drop();
});

test("from an empty production database to a customer owner reading the first event", async ({ browser, playwright }) => {
  test.setTimeout(300_000);
  const api = await playwright.request.newContext({ baseURL });
  const admin = await newPage(browser);

  const setupUrl = await test.step("the server log has the setup link, once for all the web processes, and there is no demo data", async () => {
    expect(webProcesses()).toHaveLength(WEB_PROCESSES);
    const url = (await waitForLog(/No vendor admin yet\. Open (http:\/\/\S+\/setup\?token=[A-Za-z0-9_-]{43}) to create the first one/, 60_000))[1]!;
    // Only the first process issues a token: a second one would replace it, and the link printed first would not work.
    expect(serverLog.match(/No vendor admin yet/g)).toHaveLength(1);
    const demoKey = { authorization: "Bearer ot_demo_vendor_key_0000000000000000" };
    expect((await api.get("/api/v1/orgs/acme/events", { headers: demoKey })).status()).toBe(401);
    // The sign-in page of an empty installation points at the way in.
    await admin.goto("/login");
    await expect(admin.getByTestId("first-run-hint")).toContainText("First run?");
    return url;
  });

  await test.step("the first vendor admin, made with that link", async () => {
    await admin.goto(setupUrl);
    await expect(admin.getByRole("heading", { name: "Create the first vendor admin" })).toBeVisible();
    await expect(admin.getByLabel("Setup token")).toHaveValue(new URL(setupUrl).searchParams.get("token")!);
    await expect(admin).toHaveURL(/\/setup$/);
    await admin.getByLabel("Work email").fill(ADMIN.email);
    await admin.getByLabel("Your name").fill(ADMIN.name);
    await fillNewPassword(admin);
    await admin.screenshot({ path: "test-results/first-run-setup.png", fullPage: true });
    await admin.getByRole("button", { name: "Create vendor admin" }).click();
    await expect(admin).toHaveURL(/\/login\?notice=admin-created/);
    await expect(admin.getByTestId("login-notice")).toBeVisible();
    await expect(admin.getByTestId("first-run-hint")).toHaveCount(0);
    expect((await admin.request.get("/setup")).status()).toBe(404);
    await signIn(admin, ADMIN.email);
    await expect(admin.getByText("orgtrail.staff.created").first()).toBeVisible();
  });

  const inviteLink = await test.step("a customer organization and the invite for its first owner", async () => {
    await admin.goto("/admin/organizations");
    await admin.getByRole("button", { name: "New organization" }).click();
    await admin.getByLabel("Name").fill("Initech");
    await admin.getByLabel("Slug").fill("initech");
    await admin.getByRole("button", { name: "Create organization" }).click();
    const row = admin.locator('[data-testid="organization-row"][data-slug="initech"]');
    await row.getByRole("button", { name: "Invite owner" }).click();
    await admin.getByLabel("Email").fill(OWNER.email);
    await admin.getByRole("button", { name: "Create invite link" }).click();
    const link = await admin.getByTestId("invite-link").inputValue();
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await admin.getByRole("button", { name: "Done" }).click();
    return link;
  });

  const secret = await test.step("a vendor key, its secret copied from the page that shows it once", async () => {
    await admin.goto("/admin/api-keys");
    await admin.getByRole("button", { name: "New API key" }).click();
    await admin.getByLabel("Name").fill("Backend ingest");
    await admin.getByRole("button", { name: "Create key" }).click();
    const shown = await admin.getByTestId("new-key-secret").inputValue();
    expect(shown).toMatch(/^ot_/);
    await admin.getByRole("button", { name: "Done" }).click();
    return shown;
  });

  await test.step("the vendor's backend sends the first event", async () => {
    const sent = await api.post("/api/v1/events", {
      headers: { authorization: `Bearer ${secret}` },
      data: {
        organization_id: "initech",
        event: {
          action: "document.shared",
          occurred_at: new Date().toISOString(),
          actor: { type: "user", id: "u_42", name: "Peter Gibbons" },
          targets: [{ type: "document", id: "doc_tps", name: "TPS report" }],
        },
      },
    });
    expect(sent.status(), await sent.text()).toBe(201);
  });

  await test.step("the owner accepts the invite, signs in and reads the event", async () => {
    const owner = await newPage(browser);
    await owner.goto(inviteLink);
    await owner.getByLabel("Your name").fill(OWNER.name);
    await fillNewPassword(owner);
    await owner.getByRole("button", { name: "Create account and join" }).click();
    await expect(owner).toHaveURL(/\/orgs\/initech\/audit-logs/);
    await owner.context().clearCookies();
    await signIn(owner, OWNER.email);
    await owner.goto("/orgs/initech/audit-logs");
    await expect(owner.getByTestId("event-row").filter({ hasText: "document.shared" })).toContainText("Peter Gibbons");
  });

  await test.step("support staff from the CLI; the printed link sets the password, once", async () => {
    const printed = await orgtrailCli("create-admin", "--email", SUPPORT, "--name", "Sam Support", "--role", "vendor_support");
    const link = printed.match(/^(http:\/\/\S+\/set-password\/[A-Za-z0-9_-]{43})$/m)?.[1];
    expect(link, printed).toBeTruthy();
    const support = await newPage(browser);
    await support.goto(link!);
    await expect(support.getByRole("heading", { name: "Set your password" })).toBeVisible();
    await fillNewPassword(support);
    await support.screenshot({ path: "test-results/first-run-set-password.png" });
    await support.getByRole("button", { name: "Set password" }).click();
    await expect(support).toHaveURL(/\/login\?notice=password-set/);
    await signIn(support, SUPPORT);
    const session = (await (await support.request.get("/api/auth/session")).json()) as { user?: { email?: string } };
    expect(session.user?.email).toBe(SUPPORT);
    await support.goto(link!);
    await expect(support.getByTestId("set-password-unusable")).toContainText("already used");
  });
  await api.dispose();
});

test("the second web process serves pages too, and SIGTERM stops the web processes before the launcher exits 0", async ({ playwright }) => {
  const processes = webProcesses();
  expect(processes).toHaveLength(WEB_PROCESSES);
  // Process 0 runs the background jobs, so only another one's CPU time shows it served pages.
  const processIndex = (pid: number) => /(?:^|\0)ORGTRAIL_PROCESS_INDEX=(\d+)\0/.exec(readFileSync(`/proc/${pid}/environ`, "utf8"))?.[1];
  expect(processes.map(processIndex).sort()).toEqual(["0", "1"]);
  const second = processes.find((pid) => processIndex(pid) === "1")!;
  const before = cpuMs([second]);
  // A new connection for each page: the cluster hands connections to the processes in turn.
  for (let i = 0; i < 20; i++) {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { connection: "close" } });
    expect((await api.get("/login")).status()).toBe(200);
    await api.dispose();
  }
  expect(cpuMs([second]), `web process ${second} served none of 20 pages`).toBeGreaterThan(before);

  const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  // 0 only when the launcher's own handler ran: it waits for the web processes (and then stops an embedded database).
  expect(await exited).toBe(0);
  expect(processes.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
});

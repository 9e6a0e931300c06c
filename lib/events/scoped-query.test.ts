import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * DESIGN ("Access"): every read of audit_events goes through eventsVisibleTo(scope).
 * This scan fails when code outside the list below names the table, so a new
 * query has to be added here, with its reason, in review.
 */
type Allowed = { path: string; reason: string; mustScope?: boolean };

const ALLOWED: Allowed[] = [
  { path: "lib/events/scoped-query.ts", reason: "the one scoped condition itself" },
  { path: "lib/events/search.ts", reason: "search, pull feed and detail; every query starts from eventsVisibleTo", mustScope: true },
  { path: "lib/events/facets.ts", reason: "facet and histogram counts, built on search.filterConditions (eventsVisibleTo)", mustScope: true },
  { path: "lib/events/verify.ts", reason: "chain verification, reads through eventsVisibleTo", mustScope: true },
  { path: "lib/events/export/csv-copy.ts", reason: "the CSV's COPY statement; its only condition is an ExportSelection, which only rows.exportSelection makes, from filterConditions" },
  { path: "lib/events/export/", reason: "exports read pages through search.filterConditions (eventsVisibleTo)", mustScope: true },
  { path: "lib/events/hourly-counts.ts", reason: "counts the edge hours of a range under a condition its callers build with search.filterConditions (eventsVisibleTo); writer of the hourly counts" },
  { path: "lib/events/query-sql.ts", reason: "builds column conditions of a parsed query; runs only inside filterConditions" },
  { path: "lib/events/event-columns.ts", reason: "the select list of an event; no query of its own" },
  { path: "lib/events/stored-event.ts", reason: "maps a selected row to the API shape; no query of its own" },
  { path: "lib/events/append.ts", reason: "writer: the chained insert" },
  { path: "lib/events/app-events.ts", reason: "writer: Orgtrail's own events, through append" },
  { path: "lib/events/group-commit.ts", reason: "writer: batched ingest, through append" },
  { path: "lib/events/retention.ts", reason: "purge job: deletes expired events of one organization, reads none out" },
  { path: "lib/events/recent-by-action.ts", reason: "vendor schema preview: recent samples of one action for schemas.manage, documented there" },
  { path: "db/schema.ts", reason: "the table's definition" },
  { path: "scripts/seed.ts", reason: "demo data writer" },
  { path: "db/migrations/", reason: "migrations" },
  { path: "db/testing/", reason: "test fixtures" },
  { path: "bench/", reason: "benchmarks, not shipped" },
  { path: "e2e/", reason: "browser tests" },
];

const SKIP_DIRS = new Set(["node_modules", ".git", ".data", ".data-e2e", "test-results", "playwright-report", "public"]);
const ROOT = path.resolve(import.meta.dirname, "../..");

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith(".next")) sourceFiles(path.join(dir, entry.name), out);
    } else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push(path.relative(ROOT, path.join(dir, entry.name)).split(path.sep).join("/"));
    }
  }
  return out;
}

/** The code of a file without its comments, so prose that names the table does not count. */
const withoutComments = (code: string) => code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");

const TABLE = /\bauditEvents\b|\baudit_events\b/;
const isTest = (file: string) => /\.test\.tsx?$/.test(file) || /\.spec\.tsx?$/.test(file);
const allowance = (file: string) => ALLOWED.find((a) => (a.path.endsWith("/") ? file.startsWith(a.path) : file === a.path));

describe("audit_events is read only through eventsVisibleTo", () => {
  const files = sourceFiles(ROOT).filter((file) => !isTest(file));
  const naming = files.filter((file) => TABLE.test(withoutComments(readFileSync(path.join(ROOT, file), "utf8"))));

  it("no code outside the allow-list names the table", () => {
    const outside = naming.filter((file) => !allowance(file));
    expect(
      outside,
      `These files use audit_events directly. Read events through lib/events/scoped-query.ts eventsVisibleTo(scope) (or search.ts filterConditions); if the use is truly not a read, add the file to ALLOWED in lib/events/scoped-query.test.ts with its reason:\n${outside.join("\n")}`,
    ).toEqual([]);
  });

  it("each allowed reader applies the scope", () => {
    const unscoped = naming.filter((file) => {
      if (!allowance(file)?.mustScope) return false;
      const code = withoutComments(readFileSync(path.join(ROOT, file), "utf8"));
      return !/\beventsVisibleTo\(|\bfilterConditions\(/.test(code);
    });
    expect(unscoped, `These readers query audit_events without eventsVisibleTo or filterConditions:\n${unscoped.join("\n")}`).toEqual([]);
  });

  it("the scan sees the files it should (it is not vacuous)", () => {
    expect(naming).toContain("lib/events/search.ts");
    expect(naming).toContain("lib/events/scoped-query.ts");
    expect(files.some((file) => file.startsWith("app/"))).toBe(true);
  });

  it("every allow-list entry still matches a file and has a reason", () => {
    for (const entry of ALLOWED) {
      expect(entry.reason.length, entry.path).toBeGreaterThan(5);
    }
    const stale = ALLOWED.filter((entry) => !entry.path.endsWith("/") && !files.includes(entry.path));
    expect(stale.map((e) => e.path), "allow-list entries for files that no longer exist").toEqual([]);
  });
});

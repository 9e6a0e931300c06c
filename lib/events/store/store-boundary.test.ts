import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/*
 * DESIGN ("Access"): every read of audit_events takes a Scope. The guard is
 * eslint.config.mjs: outside lib/events/store the table object cannot be
 * imported and no SQL text may name the table. These lint snippets as if they
 * stood at the given paths, so the rules are seen to fire where they should.
 */

const ROOT = path.resolve(import.meta.dirname, "../../..");
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The store rules' messages for `code` linted as the file at `filePath`. */
async function storeViolations(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

const IMPORT_TABLE = 'import { auditEvents } from "@/db/schema";\nexport const table = auditEvents;\n';
const RAW_SQL = "declare const sql: (text: TemplateStringsArray) => unknown;\nexport const query = sql`select id from audit_events`;\n";

describe("audit_events is reached only through lib/events/store", () => {
  it.each(["lib/events/search.ts", "lib/events/export/rows.ts", "lib/streams/delivery.ts", "app/api/v1/orgs/[org]/events/route.ts", "components/audit-log/table.tsx"])(
    "importing the table object is an error in %s",
    async (filePath) => {
      const messages = await storeViolations(IMPORT_TABLE, filePath);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/'auditEvents' import from '@\/db\/schema' is restricted.*visibleEvents\(scope\)/);
    },
  );

  it("catches the relative import and a namespace import too", async () => {
    expect(await storeViolations('import { auditEvents } from "../../db/schema";\nexport const table = auditEvents;\n', "lib/events/export/rows.ts")).toHaveLength(1);
    const namespace = await storeViolations('import * as schema from "@/db/schema";\nexport const tables = schema;\n', "lib/events/facets.ts");
    expect(namespace.some((m) => /\* import is invalid because 'auditEvents'/.test(m))).toBe(true);
  });

  it("catches raw SQL that names the table and the relational query handle", async () => {
    expect(await storeViolations(RAW_SQL, "lib/events/retention.ts")).toHaveLength(1);
    expect(await storeViolations("declare const db: () => { query: Record<string, unknown> };\nexport const rows = db().query.auditEvents;\n", "lib/events/search.ts")).toHaveLength(1);
  });

  it("allows the rest of the schema outside the store", async () => {
    expect(await storeViolations('import { organizations } from "@/db/schema";\nexport const table = organizations;\n', "lib/events/search.ts")).toEqual([]);
  });

  it("allows the table inside the store, in db/ and in tests that seed", async () => {
    for (const filePath of ["lib/events/store/visible-events.ts", "lib/events/store/event-writes.ts", "db/testing/fixtures.ts", "lib/accounts/sign-in.test.ts"]) {
      expect(await storeViolations(IMPORT_TABLE + RAW_SQL, filePath), filePath).toEqual([]);
    }
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { resolveOrgScope, type Scope } from "@/lib/access/scope";
import { createKey, createOrg, createUser, event } from "@/db/testing/fixtures";
import { ingest } from "./ingest";
import { searchQuery } from "./search";

/*
 * Every positive term of the query language must be servable by an index of
 * its organization, so that a search costs what the organization's matches
 * cost, not what the organization (or the whole table) holds. Which index the
 * planner then prefers depends on its estimates, which a small test table
 * cannot make realistic; so each term is planned in a rolled-back transaction
 * where only the index meant for it exists and sequential scans are priced out,
 * and its plan must narrow by the term in that index's condition. A term no
 * index can serve plans a Seq Scan there. Negated terms only narrow the others:
 * alone they read the organization's rows through its time index.
 */

/** Each filter, the index meant to serve it, and the indexed condition its plan must show. */
const FILTERS: [string, string[], RegExp][] = [
  ["action:user.signed_in", ["audit_events_org_action_time"], /\baction = /],
  ["action:user.*", ["audit_events_org_action_time"], /\baction ~>=~ /],
  ["actor:u_ada", ["audit_events_org_actor_time", "audit_events_org_actor_name_time", "audit_events_org_actor_email_time"], /^(?=[\s\S]*actor_id = )(?=[\s\S]*lower\(actor_name\))(?=[\s\S]*actor_metadata ->> 'email')/],
  ["actor:ada@acme.test", ["audit_events_org_actor_time", "audit_events_org_actor_name_time", "audit_events_org_actor_email_time"], /lower\(\(actor_metadata ->> 'email'/],
  ["actor:user:u_ada", ["audit_events_org_actor_time", "audit_events_org_actor_name_time", "audit_events_org_actor_email_time"], /actor_id = 'u_ada'/],
  ["actor.id:u_ada", ["audit_events_org_actor_time"], /actor_id = /],
  ["actor.type:service", ["audit_events_org_actor_type"], /actor_type = /],
  ["target:session", ["audit_events_org_target_types"], /target_types @> /],
  ["target:document:doc_7", ["audit_events_org_target_ids"], /target_ids @> /],
  ["ip:203.0.113.7", ["audit_events_org_ip"], /\bip = /],
  ["ip:203.0.113.0/24", ["audit_events_org_ip"], /\bip >= /],
  ["ip:2001:db8::/32", ["audit_events_org_ip"], /\bip >= /],
  ["occurred:>7d", ["audit_events_org_time"], /occurred_at >= /],
  ["occurred:2026-11-01..2026-11-07", ["audit_events_org_time"], /occurred_at >= /],
  ["invoice", ["audit_events_org_search"], /search_text ~~ /],
  ['"invoice plan"', ["audit_events_org_search"], /search_text ~~ /],
];

let scope: Scope;
let memberScope: Scope;

/** The plan of a search with only the `keep` indexes of audit_events, and the plan types `priced` also priced out. */
async function plan(query: Scope, q: string, keep: string[], priced: ("enable_sort" | "enable_bitmapscan")[] = []): Promise<string> {
  const { sql: text, params } = searchQuery(query, { q, limit: 50, order: "desc" }).toSQL();
  let planText = "";
  await sql()
    .begin(async (tx) => {
      const indexes = await tx<{ name: string; primary: boolean }[]>`
        select indexrelid::regclass::text as name, indisprimary as primary from pg_index where indrelid = 'audit_events'::regclass`;
      for (const { name, primary } of indexes) {
        if (keep.includes(name)) continue;
        await tx.unsafe(primary ? `alter table audit_events drop constraint ${name}` : `drop index ${name}`);
      }
      await tx`set local enable_seqscan = off`;
      for (const setting of priced) await tx.unsafe(`set local ${setting} = off`);
      const rows = await tx.unsafe(`explain ${text}`, params as never[]);
      planText = rows.map((row) => String(row["QUERY PLAN"])).join("\n");
      throw new RollBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollBack)) throw error;
    });
  return planText;
}

class RollBack extends Error {}


beforeAll(async () => {
  const org = await createOrg("plans");
  const { principal } = await createKey(org.id);
    // Each filtered value is rare, as in a large log: where a value matches most rows,
  // walking the time index and filtering is the better plan and the planner rightly takes it.
  const events = Array.from({ length: 5000 }, (_, i) =>
    event({
      occurred_at: new Date(Date.now() - i * 1_800_000).toISOString(),
      action: i % 500 === 0 ? "user.signed_in" : "document.shared",
      actor: { type: i % 500 === 0 ? "service" : "user", id: `u_${i % 7}`, name: `Person ${i % 7}`, metadata: { email: `p${i % 7}@acme.test` } },
      targets: i % 500 === 0 ? [{ type: "session", id: `s_${i}` }] : [{ type: "document", id: `doc_${i % 40}` }],
      context: { location: i % 500 === 0 ? "203.0.113.7" : `198.51.100.${i % 250}` },
      metadata: { n: i, note: i % 500 === 0 ? "invoice plan" : "routine" },
    }),
  );
  for (let i = 0; i < events.length; i += 1000) await ingest(principal, { organization_id: org.id, events: events.slice(i, i + 1000) }, null);
  await sql()`analyze audit_events`;
  scope = await resolveOrgScope(principal, org.id);
  memberScope = await resolveOrgScope(await createUser(org.id, "member", "u_3"), org.id);
});

/** The index and recheck conditions of a plan: what its indexes narrow by. */
function indexConditions(text: string): string {
  return text
    .split("\n")
    .filter((line) => /(Index|Recheck) Cond:/.test(line))
    .join("\n");
}

describe("search plans", () => {
  it.each(FILTERS)("%s is served by its index", async (q, keep, indexed) => {
    const text = await plan(scope, q, keep);
    expect(text).not.toMatch(/Seq Scan on audit_events/);
    // visibleEvents(scope) is a subquery; PostgreSQL must pull it up, so the plan is the table's own.
    expect(text).not.toMatch(/Subquery Scan/);
    expect(indexConditions(text), text).toMatch(indexed);
  });

  it.each(FILTERS)("%s, for a member, is served by its index too", async (q, keep, indexed) => {
    const text = await plan(memberScope, q, [...keep, "audit_events_org_actor_time", "audit_events_org_target_ids"]);
    expect(text).not.toMatch(/Seq Scan on audit_events/);
    expect(indexConditions(text), text).toMatch(new RegExp(`${indexed.source}|actor_id = 'u_3'`));
  });

  it("with every index in place, no term plans a scan of the table", async () => {
    const all = (await sql()<{ name: string }[]>`select indexrelid::regclass::text as name from pg_index where indrelid = 'audit_events'::regclass`).map((r) => r.name);
    for (const [q] of FILTERS) expect(await plan(scope, `${q} -action:user.signed_out`, all), q).not.toMatch(/Seq Scan on audit_events/);
  });

  it("actor:X reads the newest of its id, name and email matches each from its own index, without sorting every match", async () => {
    // Which plan wins depends on estimates a small shared table cannot make realistic (with a few rows a month, sorting
    // them is cheapest): so sorts and bitmaps are priced out, and the plan must still need no Sort, which only an
    // index that yields each alternative in (occurred_at, id) order allows.
    const keep = ["audit_events_org_actor_time", "audit_events_org_actor_name_time", "audit_events_org_actor_email_time", "audit_events_org_action_time"];
    for (const q of ["actor:p3@acme.test", 'actor:"Person 3"', "actor:u_3", "actor:u_3 action:document.shared"]) {
      const text = await plan(scope, q, keep, ["enable_sort", "enable_bitmapscan"]);
      for (const index of ["actor_time", "actor_name_time", "actor_email_time"]) expect(text, `${q}\n${text}`).toMatch(new RegExp(`Index Scan using \\S+_org_${index} `));
      expect(text, text).not.toMatch(/Bitmap|Seq Scan/);
      // Each read comes ordered from its index and the reads are merged: no Sort node anywhere.
      expect(text, text).not.toMatch(/Sort\s+\(cost=/);
    }
  });

  it("a negated term alone reads the organization through its index, not the table", async () => {
    const text = await plan(scope, "-action:user.signed_out", ["audit_events_org_time"]);
    expect(text).not.toMatch(/Seq Scan on audit_events/);
    expect(indexConditions(text)).toMatch(/organization_id = /);
  });
});

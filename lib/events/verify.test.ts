import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createKey, createOrg, event } from "@/db/testing/fixtures";
import { GET as verifyRoute } from "@/app/api/v1/orgs/[org]/verify/route";
import { resolveOrgScope } from "@/lib/access/scope";
import { ingest } from "./ingest";
import { verifyChain } from "./verify";

/**
 * Ten events; the sixth (seq 6) has no location and empty metadata, the others
 * two targets and metadata keys in an order jsonb does not keep.
 */
async function chainOfTen() {
  const org = await createOrg();
  const { principal, secret } = await createKey(org.id);
  const events = Array.from({ length: 10 }, (_, i) =>
    i === 5
      ? event({ context: {}, metadata: {} })
      : event({
          targets: [{ type: "document", id: `doc_${i}`, name: "Plan" }, { type: "user", id: `u_${i}`, metadata: { team_name: "Ops", a: "x" } }],
          metadata: { zeta_last: "Zed", a: "Alpha", i },
        }),
  );
  await ingest(principal, { events }, null);
  return { org, secret, scope: await resolveOrgScope(principal, org.slug) };
}

async function hashAt(organizationId: string, seq: number): Promise<string> {
  const [row] = await sql()<{ hash: string }[]>`select hash from audit_events where organization_id = ${organizationId} and seq = ${seq}`;
  return row!.hash;
}

function callVerify(secret: string, slug: string, search = "") {
  return verifyRoute(new Request(`http://localhost/api/v1/orgs/${slug}/verify${search}`, { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({ org: slug }) });
}

describe("verify covers every column outside the hash", () => {
  it("an untouched chain verifies, metadata key order and all, and names its head and checkpoint", async () => {
    const { org, scope } = await chainOfTen();
    expect(await verifyChain(scope)).toEqual({
      ok: true,
      checked: 10,
      first_bad_seq: null,
      head: { seq: 10, hash: await hashAt(org.id, 10) },
      checkpoint: { seq: 0, hash: "" },
    });
  });

  // Each of these leaves the hashed event as it was: verify used to answer ok.
  it.each([
    ["target_ids (who may see it)", 4, "target_ids = array['doc_3', 'u_someone_else']"],
    ["target_types", 4, "target_types = array['document', 'invoice']"],
    ["search_text, a word added", 4, "search_text = search_text || E'\\nsecret'"],
    ["search_text, a word removed", 7, "search_text = replace(search_text, 'alpha', '')"],
    ["ip, the same address IPv4-mapped", 3, "ip = '::ffff:203.0.113.7'"],
    ["ip, a network on an event without one", 6, "ip = '10.0.0.0/8'"],
    ["occurred_at, a microsecond later", 5, "occurred_at = occurred_at + interval '1 microsecond'"],
    ["received_at, a microsecond later", 5, "received_at = received_at + interval '1 microsecond'"],
    ["targets, a key the event does not have", 2, `targets = jsonb_set(targets, '{0,owner}', '"mallory"')`],
    ["targets, a JSON null name", 2, `targets = jsonb_set(targets, '{1,name}', 'null')`],
    ["metadata, NULL for {}", 6, "metadata = null"],
    ["actor_metadata, JSON null", 8, "actor_metadata = 'null'::jsonb"],
  ])("%s", async (_name, seq, assignment) => {
    const { org, scope } = await chainOfTen();
    await sql().unsafe(`update audit_events set ${assignment} where organization_id = $1 and seq = $2`, [org.id, seq]);
    expect(await verifyChain(scope)).toMatchObject({ ok: false, checked: seq - 1, first_bad_seq: seq });
  });

  it("targets that are not a list of objects are a bad row, not an error", async () => {
    const { org, scope } = await chainOfTen();
    await sql()`update audit_events set targets = '[null]'::jsonb, target_ids = array[null]::text[], target_types = array[null]::text[] where organization_id = ${org.id} and seq = 3`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 3 });
    await sql()`update audit_events set targets = '{"type": "x"}'::jsonb where organization_id = ${org.id} and seq = 3`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, first_bad_seq: 3 });
  });
});

describe("head changes are detectable", () => {
  it("a head set back over events still stored is found", async () => {
    const { org, scope } = await chainOfTen();
    await sql()`update event_chains set chain_seq = 8, chain_hash = ${await hashAt(org.id, 8)} where organization_id = ${org.id}`;
    expect(await verifyChain(scope)).toMatchObject({ ok: false, checked: 8, first_bad_seq: 9 });
  });

  it("a rewind (last events deleted, head set back) is found against a head the caller kept", async () => {
    const { org, secret, scope } = await chainOfTen();
    const kept = { seq: 10, hash: await hashAt(org.id, 10) };
    await sql()`delete from audit_events where organization_id = ${org.id} and seq >= 9`;
    await sql()`update event_chains set chain_seq = 8, chain_hash = ${await hashAt(org.id, 8)} where organization_id = ${org.id}`;
    // On its own the shortened chain is consistent: only an earlier head shows what is gone.
    expect(await verifyChain(scope)).toMatchObject({ ok: true, head: { seq: 8 } });
    expect(await verifyChain(scope, kept)).toMatchObject({ ok: false, first_bad_seq: 9, expected_head: "missing" });

    // Events appended after the rewind take the old seqs with other hashes.
    const { principal } = await createKey(org.id);
    await ingest(principal, { events: [event(), event()] }, null);
    expect(await verifyChain(scope, kept)).toMatchObject({ ok: false, first_bad_seq: 10, expected_head: "mismatched" });
    expect(await verifyChain(scope, { seq: 5, hash: await hashAt(org.id, 5) })).toMatchObject({ ok: true, expected_head: "matched" });

    const response = await callVerify(secret, org.slug, `?expect_head=${kept.seq}:${kept.hash}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: false, first_bad_seq: 10, expected_head: "mismatched", head: { seq: 10 }, checkpoint: { seq: 0, hash: "" } });
  });

  it("the verify route takes expect_head=<seq>:<hash> and refuses anything else with 400", async () => {
    const { org, secret } = await chainOfTen();
    const head = `10:${await hashAt(org.id, 10)}`;
    const ok = await callVerify(secret, org.slug, `?expect_head=${head}`);
    expect(await ok.json()).toEqual({ ok: true, checked: 10, first_bad_seq: null, head: { seq: 10, hash: head.slice(3) }, checkpoint: { seq: 0, hash: "" }, expected_head: "matched" });
    expect(await (await callVerify(secret, org.slug, "?expect_head=0:")).json()).toMatchObject({ ok: true, expected_head: "matched" });
    for (const bad of ["10", `10:${"A".repeat(64)}`, `010:${head.slice(3)}`, "1:", `-1:${head.slice(3)}`, `10:${head.slice(3)}%00`, `${"9".repeat(16)}:${head.slice(3)}`]) {
      const response = await callVerify(secret, org.slug, `?expect_head=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_query", issues: [{ path: "expect_head" }] } });
    }
  });
});

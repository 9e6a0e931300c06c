// Recomputes an organization's chain from its NDJSON export the way a customer
// would, with node:crypto and the canonicalize package only: nothing of the
// app's chain code, so the documented algorithm is what is tested.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { createKey, createOrg, event } from "@/db/testing/fixtures";
import { GET as exportCsv } from "@/app/api/v1/orgs/[org]/events/export.csv/route";
import { GET as exportNdjson } from "@/app/api/v1/orgs/[org]/events/export.ndjson/route";
import { GET as verifyRoute } from "@/app/api/v1/orgs/[org]/verify/route";
import { ingest } from "./ingest";
import { purgeExpiredEvents } from "./retention";

const DAY = 86_400_000;

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(route: Route, secret: string, slug: string, path: string): Promise<Response> {
  return route(new Request(`http://localhost/api/v1/orgs/${slug}/${path}`, { headers: { authorization: `Bearer ${secret}` } }), { params: Promise.resolve({ org: slug }) });
}

/** Events with what canonical JSON has to get right: non-ASCII and escaped characters, numbers, booleans, IPv6, no context. */
function variedEvents(from: number, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return event({
      occurred_at: new Date(Date.now() - (n - k) * 1000).toISOString().replace("Z", "+00:00"),
      actor: { type: "user", id: `u_${i % 3}`, name: i % 2 ? "Zoë 🦄" : "Ada", metadata: { email: `u${i % 3}@example.test`, admin: i % 2 === 0 } },
      targets:
        i % 4 === 0
          ? []
          : [
              { type: "document", id: `doc_${i}`, name: 'Plan "final"\u2028\u0007' },
              { type: "folder", id: `f_${i}`, metadata: { depth: i, ratio: 0.1 * i, big: 1e21 } },
            ],
      context: [{ location: "2001:DB8::1", user_agent: "Mozilla/5.0 (\"x\")" }, { location: "::ffff:198.51.100.2" }, {}][i % 3],
      metadata: { zeta: "漢字", a: -5, b: true, n: i, note: "tab\there" },
    });
  });
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function point(header: string | null): { seq: number; hash: string } {
  const match = /^(\d+):([0-9a-f]{64})?$/.exec(header ?? "");
  if (!match) throw new Error(`not a <seq>:<hash> header: ${header}`);
  return { seq: Number(match[1]), hash: match[2] ?? "" };
}

describe("offline verification from an NDJSON export", () => {
  it("recomputes every hash, from the checkpoint to the head the export names, without the app's code", async () => {
    const org = await createOrg();
    const { principal, secret } = await createKey(org.id, ["events:write", "events:read", "exports:write"]);
    await ingest(principal, { events: variedEvents(0, 15) }, null);
    // Everything so far is past retention (365 days) as seen 400 days from now: the chain then starts at a checkpoint.
    expect(await purgeExpiredEvents(org.id, { now: new Date(Date.now() + 400 * DAY), batchSize: 4 })).toMatchObject({ count: 15, throughSeq: 15 });
    await ingest(principal, { events: variedEvents(15, 25) }, null);

    const response = await call(exportNdjson, secret, org.slug, "events/export.ndjson");
    expect(response.status).toBe(200);
    const head = point(response.headers.get("orgtrail-chain-head"));
    const checkpoint = point(response.headers.get("orgtrail-chain-checkpoint"));
    const events = (await response.text())
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { seq: number; hash: string; action: string; metadata: Record<string, unknown> })
      .sort((a, b) => a.seq - b.seq);
    expect(checkpoint.seq).toBe(15);
    expect(events[0]!.seq).toBe(checkpoint.seq + 1);

    // The documented algorithm: hash = SHA-256(prev hash ‖ RFC 8785 JSON of the event without `hash`), prev of the first = the checkpoint's hash.
    let prevHash = checkpoint.hash;
    let expectedSeq = checkpoint.seq + 1;
    for (const exported of events) {
      const { hash, ...rest } = exported;
      expect(exported.seq).toBe(expectedSeq);
      expect(sha256Hex(prevHash + canonicalize(rest)), `seq ${exported.seq}`).toBe(hash);
      prevHash = hash;
      expectedSeq += 1;
    }
    expect(events.find((e) => e.seq === head.seq)?.hash).toBe(head.hash);
    expect(events.at(-1)!.seq).toBe(head.seq);

    // The file itself names the checkpoint: the purge event recorded it before deleting.
    const purge = events.find((e) => e.action === "orgtrail.retention.purged");
    expect(purge?.metadata).toMatchObject({ checkpoint_seq: checkpoint.seq, checkpoint_hash: checkpoint.hash });

    // The CSV download names the same head, and the kept head verifies.
    const csv = await call(exportCsv, secret, org.slug, "events/export.csv");
    expect(csv.status).toBe(200);
    await csv.arrayBuffer();
    expect(point(csv.headers.get("orgtrail-chain-head")).seq).toBeGreaterThanOrEqual(head.seq);
    const verified = await call(verifyRoute, secret, org.slug, `verify?expect_head=${head.seq}:${head.hash}`);
    expect(await verified.json()).toMatchObject({ ok: true, expected_head: "matched", checkpoint });
  });
});

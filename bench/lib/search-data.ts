/**
 * Realistic synthetic audit events for the search benchmark: a few dozen
 * actions with skewed frequencies, a Zipf-like pool of actors and targets per
 * organization, IPs, user agents and metadata with words that free text can
 * find. The values the benchmark's queries use are exported so the seeder and
 * the benchmark agree on them.
 */

export const BENCH_ORG_PREFIX = "bench-";
/** In about a fifth of events (a target name): the "common word" case. */
export const COMMON_WORD = "quarterly";
/** In about one event in 200,000 (a metadata value): the "rare word" case. */
export const RARE_WORD = "xylophone";
export const RARE_EVERY = 200_000;
/** The busiest actor and a target that appears often: the actor and target cases. */
export const HOT_ACTOR = "u_1";
export const HOT_TARGET = { type: "document", id: "doc_1" };

const ACTIONS: [string, number][] = [
  ["user.signed_in", 30], ["user.signed_out", 12], ["user.login_failed", 4], ["user.mfa_enabled", 1], ["user.password_changed", 1],
  ["user.role_changed", 1], ["user.invited", 2], ["user.removed", 1], ["document.viewed", 40], ["document.created", 8],
  ["document.updated", 15], ["document.shared", 6], ["document.deleted", 2], ["document.exported", 1], ["folder.created", 2],
  ["folder.deleted", 1], ["billing.invoice_paid", 1], ["billing.plan_changed", 1], ["api_key.created", 1], ["api_key.revoked", 1],
  ["data.exported", 1], ["integration.connected", 1], ["integration.disconnected", 1], ["sso.configured", 1], ["webhook.delivered", 10],
];
const TOTAL_WEIGHT = ACTIONS.reduce((sum, [, w]) => sum + w, 0);
const FIRST = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Radia", "Margaret", "Dennis", "Frances", "Donald", "Katherine"];
const LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Perlman", "Hamilton", "Ritchie", "Allen", "Knuth", "Johnson"];
const DOC_WORDS = ["Roadmap", "Budget", "Incident", "Security review", "Onboarding", "Contract", "Design spec", "Postmortem", "Hiring plan", "Board deck"];
const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "acme-sync/2.4.1 (+https://acme.test)",
];

export { seededRandom as random } from "../../scripts/seeded-random";

/** An index in [1, n] where small numbers are much more likely (roughly Zipf). */
const zipf = (rand: () => number, n: number) => Math.max(1, Math.min(n, Math.floor(Math.pow(n, rand()))));

export type BenchEvent = {
  action: string;
  actor: { type: string; id: string; name: string; metadata: { email: string } };
  targets: { type: string; id: string; name: string }[];
  ip: string;
  userAgent: string;
  metadata: Record<string, string | number | boolean>;
};

function pickAction(rand: () => number): string {
  let r = rand() * TOTAL_WEIGHT;
  for (const [action, weight] of ACTIONS) {
    r -= weight;
    if (r < 0) return action;
  }
  return ACTIONS[0]![0];
}

/** The `i`th event of an organization whose pool holds `actors` people. */
export function benchEvent(rand: () => number, i: number, actors: number): BenchEvent {
  const action = pickAction(rand);
  const n = zipf(rand, actors);
  const name = `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]}`;
  const actor = { type: "user", id: `u_${n}`, name, metadata: { email: `user${n}@example.test` } };
  const resource = action.split(".")[0]!;
  const targets: BenchEvent["targets"] = [];
  if (resource === "document" || resource === "folder") {
    const d = zipf(rand, 50_000);
    const common = rand() < 0.4 ? `${COMMON_WORD} ` : "";
    targets.push({ type: resource, id: `${resource === "document" ? "doc" : "folder"}_${d}`, name: `${common}${DOC_WORDS[d % DOC_WORDS.length]} ${d}` });
  } else if (resource === "user" && (action.endsWith("role_changed") || action.endsWith("invited") || action.endsWith("removed"))) {
    const t = zipf(rand, actors);
    targets.push({ type: "user", id: `u_${t}`, name: `${FIRST[t % FIRST.length]} ${LAST[Math.floor(t / FIRST.length) % LAST.length]}` });
  } else if (resource === "billing") {
    targets.push({ type: "invoice", id: `inv_${i}`, name: `Invoice ${i}` });
  } else if (resource === "webhook" || resource === "integration") {
    targets.push({ type: "integration", id: `int_${zipf(rand, 40)}`, name: "Slack" });
  }
  const metadata: BenchEvent["metadata"] = {};
  if (action === "user.signed_in") metadata.method = rand() < 0.7 ? "sso" : "password";
  if (action === "document.shared") metadata.shared_with = `partner${zipf(rand, 500)}@example.test`;
  if (action === "webhook.delivered") metadata.status = rand() < 0.98 ? 200 : 500;
  if (i % RARE_EVERY === 7) metadata.note = `${RARE_WORD} incident`;
  const ip = rand() < 0.1 ? `2001:db8::${Math.floor(rand() * 65535).toString(16)}` : `${rand() < 0.5 ? 10 : 203}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
  return { action, actor, targets, ip, userAgent: USER_AGENTS[Math.floor(rand() * USER_AGENTS.length)]!, metadata };
}

import postgres from "postgres";
import { v7 as uuidv7 } from "uuid";
import { hashApiKey } from "@/lib/auth/api-key-secret";
import { hashPassword } from "@/lib/auth/password";
import { appendInTransaction } from "@/lib/events/append";
import { ensureAppEventSchemas } from "@/lib/events/app-event-schemas";
import type { EventEntity, Metadata, PreparedEvent } from "@/lib/events/types";
import { DEMO_ORGS, DEMO_PASSWORD, DEMO_SCHEMAS, DEMO_SCOPED_KEYS, DEMO_USERS, DEMO_VENDOR_KEY } from "./demo-data";
import { seededRandom as random } from "./seeded-random";

const DAY_MS = 86_400_000;

const FIRST = ["Ada", "Grace", "Alan", "Mary", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Radia", "Edsger", "Frances", "Tim", "Katherine", "Donald", "Hedy", "John", "Sophie", "Guido", "Anita"];
const LAST = ["Lovelace", "Hopper", "Turing", "Jackson", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Perlman", "Dijkstra", "Allen", "Berners-Lee", "Johnson", "Knuth", "Lamarr", "McCarthy", "Wilson", "van Rossum", "Borg"];
const AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
  "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
  "acme-cli/2.4.1 (linux; amd64)",
];
const IPS = ["203.0.113.7", "203.0.113.42", "198.51.100.23", "198.51.100.180", "192.0.2.14", "10.12.0.8", "10.12.4.77", "172.16.5.4", "2001:db8::7", "2001:db8:85a3::8a2e:370:7334", "185.199.108.153", "52.94.236.248"];
const DOCS = ["Q3 plan", "Board deck", "Security review 2026", "Payroll March", "Roadmap", "Incident 4411 postmortem", "Vendor contract", "SOC 2 evidence", "Hiring plan", "Pricing model"];
const PLANS = ["free", "team", "business", "enterprise"];
const ROLES = ["member", "admin", "auditor", "owner"];

type Person = EventEntity & { email: string };

function people(org: string, domain: string, rand: () => number, fixed: { id: string; name: string; email: string }[]): Person[] {
  const list: Person[] = fixed.map((p) => ({ type: "user", id: p.id, name: p.name, email: p.email }));
  for (let i = 0; list.length < 24; i++) {
    const first = FIRST[Math.floor(rand() * FIRST.length)]!;
    const last = LAST[Math.floor(rand() * LAST.length)]!;
    const email = `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, "")}${i}@${domain}`;
    list.push({ type: "user", id: `u_${org}_${i + 100}`, name: `${first} ${last}`, email });
  }
  return list;
}

const actorOf = (p: Person): EventEntity => ({ type: "user", id: p.id, name: p.name, metadata: { email: p.email } });

/** One plausible event at `at` in an organization with these people. */
function makeEvent(rand: () => number, at: Date, staff: Person[]): PreparedEvent {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const actor = pick(staff);
  const ip = rand() < 0.9 ? pick(IPS) : null;
  const userAgent = pick(AGENTS);
  const roll = rand();
  let action: string;
  let targets: EventEntity[] = [];
  let metadata: Metadata = {};
  if (roll < 0.3) {
    action = "user.signed_in";
    metadata = { method: pick(["password", "sso", "passkey"]), mfa: rand() < 0.8 };
  } else if (roll < 0.38) {
    action = "user.signed_out";
  } else if (roll < 0.44) {
    action = "user.login_failed";
    metadata = { reason: pick(["wrong_password", "mfa_failed", "locked"]) };
  } else if (roll < 0.62) {
    action = "document.viewed";
    targets = [{ type: "document", id: `doc_${Math.floor(rand() * 60)}`, name: pick(DOCS) }];
  } else if (roll < 0.76) {
    action = "document.shared";
    const withWhom = pick(staff);
    targets = [{ type: "document", id: `doc_${Math.floor(rand() * 60)}`, name: pick(DOCS) }, { type: "user", id: withWhom.id, name: withWhom.name }];
    metadata = { shared_with: withWhom.email, permission: pick(["view", "comment", "edit"]) };
  } else if (roll < 0.8) {
    action = "document.deleted";
    targets = [{ type: "document", id: `doc_${Math.floor(rand() * 60)}`, name: pick(DOCS) }];
  } else if (roll < 0.86) {
    action = "user.role_changed";
    const subject = pick(staff);
    const from = pick(ROLES);
    targets = [{ type: "user", id: subject.id, name: subject.name, metadata: { email: subject.email } }];
    metadata = { role_from: from, role_to: pick(ROLES.filter((r) => r !== from)) };
  } else if (roll < 0.89) {
    action = "user.invited";
    const subject = pick(staff);
    targets = [{ type: "user", id: subject.id, name: subject.name }];
    metadata = { role_to: pick(ROLES) };
  } else if (roll < 0.92) {
    action = "billing.plan_changed";
    const from = pick(PLANS);
    targets = [{ type: "subscription", id: "sub_main", name: "Main subscription" }];
    metadata = { plan_from: from, plan_to: pick(PLANS.filter((p) => p !== from)) };
  } else if (roll < 0.95) {
    action = "billing.invoice_paid";
    targets = [{ type: "invoice", id: `inv_${Math.floor(rand() * 100000)}`, name: `Invoice ${Math.floor(rand() * 9000) + 1000}` }];
    metadata = { amount_cents: Math.floor(rand() * 500000), currency: "USD" };
  } else if (roll < 0.97) {
    action = "api_key.created";
    targets = [{ type: "api_key", id: `key_${Math.floor(rand() * 1000)}`, name: pick(["CI deploy", "Terraform", "Zapier", "Data warehouse sync"]) }];
  } else {
    action = "data.exported";
    targets = [{ type: "report", id: `rep_${Math.floor(rand() * 500)}`, name: pick(["Users", "Invoices", "Access review"]) }];
    metadata = { rows: Math.floor(rand() * 20000), format: pick(["csv", "xlsx"]) };
  }
  const randomBytes = Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256));
  return {
    id: uuidv7({ msecs: at.getTime(), random: randomBytes }),
    action,
    version: 1,
    occurredAt: at,
    receivedAt: new Date(at.getTime() + 40 + Math.floor(rand() * 900)),
    actor: actorOf(actor),
    targets,
    ip,
    userAgent,
    metadata,
  };
}

function metadataJsonSchema(fields: Record<string, string | undefined>) {
  return { type: "object", properties: Object.fromEntries(Object.entries(fields).map(([k, type]) => [k, { type }])) };
}

type SeedOptions = { eventsPerOrg?: Record<string, number>; now?: Date; log?: (line: string) => void };

/**
 * Writes the demo organizations, users, key, schemas and events. Running it
 * again adds nothing: rows are matched on their unique keys and events are
 * only written into an organization whose log is empty.
 */
export async function seed(databaseUrl: string, options: SeedOptions = {}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(`[seed] ${line}`));
  const counts = options.eventsPerOrg ?? { acme: 4200, globex: 1400 };
  // Anchored to the hour so a re-seed on the same day tells the same story.
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / 3_600_000) * 3_600_000);
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (const org of DEMO_ORGS) {
      await sql`insert into organizations (slug, name, kind) values (${org.slug}, ${org.name}, ${org.kind}) on conflict (slug) do update set name = excluded.name`;
    }
    const orgIds = new Map((await sql<{ id: string; slug: string }[]>`select id, slug from organizations`).map((o) => [o.slug, o.id]));
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const user of DEMO_USERS) {
      const [row] = await sql<{ id: string }[]>`
        insert into users (email, name, password_hash, platform_role) values (${user.email}, ${user.name}, ${passwordHash}, ${user.platformRole})
        on conflict (email) do update set email = excluded.email returning id`;
      for (const m of user.memberships) {
        await sql`insert into memberships (organization_id, user_id, role, external_id)
          values (${orgIds.get(m.org)!}, ${row!.id}, ${m.role}, ${m.externalId}) on conflict do nothing`;
      }
    }
    await sql`insert into api_keys (organization_id, name, prefix, secret_hash, scopes)
      values (null, 'Demo vendor key', ${DEMO_VENDOR_KEY.slice(0, 12)}, ${hashApiKey(DEMO_VENDOR_KEY)}, ${["events:write", "events:read", "exports:write", "schemas:write"]})
      on conflict (secret_hash) do nothing`;
    for (const key of DEMO_SCOPED_KEYS) {
      await sql`insert into api_keys (organization_id, name, prefix, secret_hash, scopes)
        values (${key.org ? orgIds.get(key.org)! : null}, ${key.name}, ${key.secret.slice(0, 12)}, ${hashApiKey(key.secret)}, ${[...key.scopes]})
        on conflict (secret_hash) do nothing`;
    }
    for (const schema of DEMO_SCHEMAS) {
      await sql`insert into event_schemas (action, version, target_types, metadata_schema, display)
        values (${schema.action}, 1, ${schema.targetTypes}, ${sql.json(metadataJsonSchema(schema.metadata))}, ${sql.json(schema.display)})
        on conflict (action, version) do nothing`;
    }
    await ensureAppEventSchemas(sql);

    // The months the demo's events span, ready before they arrive (else they land in the DEFAULT partition until the scheduler moves them).
    await sql`select orgtrail_event_partition(m) from generate_series(date_trunc('month', ${new Date(now.getTime() - 90 * DAY_MS)}::timestamptz, 'UTC'), ${now}::timestamptz, interval '1 month') m`;
    const rand = random(20261123);
    const memberOf = (org: string) =>
      DEMO_USERS.flatMap((u) => u.memberships.filter((m) => m.org === org).map((m) => ({ id: m.externalId, name: u.name, email: u.email })));
    for (const [slug, count] of Object.entries(counts)) {
      const organizationId = orgIds.get(slug)!;
      const [{ n }] = await sql<{ n: string }[]>`select count(*) as n from audit_events where organization_id = ${organizationId}`;
      if (Number(n) > 0) {
        log(`${slug}: already has events, left as is`);
        continue;
      }
      const staff = people(slug, `${slug}.test`, rand, memberOf(slug));
      const times = Array.from({ length: count }, () => now.getTime() - Math.floor(rand() * rand() * 90 * DAY_MS)).sort((a, b) => a - b);
      const events = times.map((t) => makeEvent(rand, new Date(t), staff));
      for (let i = 0; i < events.length; i += 1000) {
        await sql.begin((tx) => appendInTransaction(tx, organizationId, events.slice(i, i + 1000)));
      }
      log(`${slug}: ${events.length} events`);
    }
  } finally {
    await sql.end();
  }
}

/** Seeds a database with no users yet (first start of the embedded server); the migrations made only the vendor organization. */
export async function seedIfEmpty(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [{ n }] = await sql<{ n: string }[]>`select count(*) as n from users`;
  await sql.end();
  if (Number(n) === 0) await seed(databaseUrl);
}

/**
 * npm run bench:streams — log-stream delivery (issue 17), in this process, to a
 * webhook receiver in a child process that checks every request's Standard
 * Webhooks signature (HMAC-SHA256 of id.timestamp.body with node:crypto: the
 * standardwebhooks package, which the tests verify with, hashes in plain
 * JavaScript and on these two shared cores would measure itself, not the
 * sender), parses the body and records
 * each event's id, seq and lag (receipt time − received_at).
 *
 *   throughput  BENCH_STREAM_EVENTS (default 200,000) events seeded by SQL, one
 *               stream's job run until its cursor reaches the head, batches of
 *               1,000; beside it, in the same run, the raw seq-ordered SELECT of
 *               the same rows in pages of 1,000 (nothing sent), and the engine
 *               without HTTP (read through the stream's scope, format, sign).
 *   lag         the real worker loop (startJobWorkers: the dedicated streams
 *               loop) while events are ingested through the API's ingest
 *               function at BENCH_INGEST_RATE (default 1,000) events/s for
 *               BENCH_LAG_SECONDS (default 30): lag p50/p95/max.
 *   catch-up    the receiver down for BENCH_OUTAGE_SECONDS (default 60: the
 *               issue's 10-minute outage scaled down) while ingest goes on, then
 *               up: the wait before the first delivery (back-off), the time to
 *               drain the backlog, events/s while draining.
 *
 * Database: BENCH_DATABASE_URL, or a fresh one on BENCH_ADMIN_URL's server
 * (dropped at the end unless BENCH_KEEP_DB=1).
 */
import { fork, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, totalmem } from "node:os";
import { createHmac, timingSafeEqual } from "node:crypto";
import { benchDatabase, percentile } from "./lib/server";

const EVENTS = Number(process.env.BENCH_STREAM_EVENTS ?? 200_000);
const INGEST_RATE = Number(process.env.BENCH_INGEST_RATE ?? 1000);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 30);
const OUTAGE_SECONDS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 60);

// ---- the receiver (child process) ----

type ReceiverStats = { requests: number; events: number; unique: number; duplicates: number; inOrder: boolean; lagsMs: number[]; bad: number };
type ToReceiver = { cmd: "stop" | "start" | "stats" | "reset" };

function runReceiver(secret: string): void {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  // One of the space-separated v1 signatures must be the HMAC of "id.timestamp.body" (Standard Webhooks).
  const verified = (headers: http.IncomingHttpHeaders, body: Buffer): boolean => {
    const id = String(headers["webhook-id"] ?? "");
    const timestamp = String(headers["webhook-timestamp"] ?? "");
    const expected = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest();
    return String(headers["webhook-signature"] ?? "")
      .split(" ")
      .some((part) => {
        const given = Buffer.from(part.replace(/^v1,/, ""), "base64");
        return part.startsWith("v1,") && given.length === expected.length && timingSafeEqual(given, expected);
      });
  };
  const seen = new Set<string>();
  let stats: ReceiverStats = { requests: 0, events: 0, unique: 0, duplicates: 0, inOrder: true, lagsMs: [], bad: 0 };
  let lastFirstSeq = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const now = Date.now();
      const body = Buffer.concat(chunks);
      if (!verified(request.headers, body)) {
        stats.bad += 1;
        response.writeHead(401).end();
        return;
      }
      const events = JSON.parse(body.toString("utf8")) as { id: string; seq: number; received_at: string }[];
      stats.requests += 1;
      for (const event of events) {
        stats.events += 1;
        if (seen.has(event.id)) stats.duplicates += 1;
        else {
          seen.add(event.id);
          stats.unique += 1;
          if (event.seq <= lastFirstSeq) stats.inOrder = false;
          lastFirstSeq = event.seq;
          stats.lagsMs.push(now - Date.parse(event.received_at));
        }
      }
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  let port = 0;
  const listen = () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => {
    port = (server.address() as AddressInfo).port;
    resolve();
  }));
  process.on("message", (message: ToReceiver) => {
    const reply = (value: unknown) => process.send!(value);
    if (message.cmd === "stop") {
      server.close(() => reply("stopped"));
      server.closeAllConnections();
    } else if (message.cmd === "start") void listen().then(() => reply("started"));
    else if (message.cmd === "stats") reply(stats);
    else {
      stats = { requests: 0, events: 0, unique: 0, duplicates: 0, inOrder: true, lagsMs: [], bad: 0 };
      reply("reset");
    }
  });
  void listen().then(() => process.send!({ port }));
}

class ReceiverProcess {
  private constructor(private readonly child: ChildProcess, readonly url: string) {}

  static async start(secret: string): Promise<ReceiverProcess> {
    const child = fork(process.argv[1]!, ["receiver"], { execArgv: process.execArgv, env: { ...process.env, BENCH_RECEIVER_SECRET: secret } });
    const { port } = await new Promise<{ port: number }>((resolve, reject) => {
      child.once("message", (message) => resolve(message as { port: number }));
      child.once("exit", (code) => reject(new Error(`the receiver exited (${code})`)));
    });
    return new ReceiverProcess(child, `http://127.0.0.1:${port}/hooks`);
  }

  ask<T>(cmd: ToReceiver["cmd"]): Promise<T> {
    return new Promise((resolve) => {
      this.child.once("message", (message) => resolve(message as T));
      this.child.send({ cmd });
    });
  }

  close(): void {
    this.child.kill();
  }
}

// ---- the deliverer (this process) ----

const rate = (count: number, ms: number) => Math.round(count / (ms / 1000));
const fmt = (value: number) => value.toLocaleString("en-US");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const database = await benchDatabase("streams_bench");
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
  process.env.ORGTRAIL_STREAMS_ALLOW_PRIVATE = "1";
  const { db, sql } = await import("../db/client");
  const { apiKeys, memberships, organizations, users } = await import("../db/schema");
  const { ensureAppEventSchemas } = await import("../lib/events/app-event-schemas");
  const { generateApiKey } = await import("../lib/auth/api-key-secret");
  const { resolveOrgScope, streamReaderScope } = await import("../lib/access/scope");
  const { ingest } = await import("../lib/events/ingest");
  const { eventsForStream } = await import("../lib/events/search");
  const { createStream, updateStream, findStreamRow, openDestination } = await import("../lib/streams/stream-store");
  const { pauseStream } = await import("../lib/streams/stream-controls");
  const { runStreamJob } = await import("../lib/streams/delivery");
  const { formatEvent } = await import("../lib/streams/formats/format-event");
  const { planDeliveryRequests } = await import("../lib/streams/destinations/plan-requests");
  const { startJobWorkers } = await import("../lib/job-workers");
  await ensureAppEventSchemas(sql());

  const receivers: ReceiverProcess[] = [];
  try {
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, node ${process.version}; ${new Date().toISOString()}; load average ${loadavg().map((load) => load.toFixed(1)).join(" ")}`);
    const slug = `streams-bench-${Date.now().toString(36)}`;
    const [org] = await db().insert(organizations).values({ slug, name: "Streams bench" }).returning({ id: organizations.id });
    const [user] = await db().insert(users).values({ email: `${slug}@bench.test`, name: "Bench Owner", passwordHash: "x" }).returning({ id: users.id });
    await db().insert(memberships).values({ organizationId: org!.id, userId: user!.id, role: "owner" });
    const key = generateApiKey();
    const [keyRow] = await db().insert(apiKeys).values({ organizationId: org!.id, name: "bench", prefix: key.prefix, secretHash: key.hash, scopes: ["events:write"] }).returning({ id: apiKeys.id });
    const keyPrincipal = { kind: "api_key" as const, keyId: keyRow!.id, name: "bench", organizationId: org!.id, scopes: ["events:write" as const] };
    const owner = await resolveOrgScope({ kind: "user", userId: user!.id, email: `${slug}@bench.test`, name: "Bench Owner", platformRole: null }, slug);
    const context = { ip: null, userAgent: "bench:streams" };

    // ---- (a) throughput ----
    let started = performance.now();
    await sql()`
      insert into audit_events (organization_id, id, seq, action, version, occurred_at, received_at, actor_type, actor_id, actor_name,
        actor_metadata, targets, target_ids, target_types, ip, user_agent, metadata, search_text, hash, prev_hash)
      select ${org!.id}, gen_random_uuid(), g, case when g % 4 = 0 then 'user.signed_in' else 'document.shared' end, 1,
        now() - make_interval(secs => ${EVENTS} - g), now(), 'user', 'u_' || (g % 500), 'Bench User',
        jsonb_build_object('email', 'user' || (g % 500) || '@bench.test'),
        jsonb_build_array(jsonb_build_object('type', 'document', 'id', 'doc_' || (g % 5000), 'name', 'Quarterly plan, "final"')),
        array['doc_' || (g % 5000)], array['document'], '203.0.113.7'::inet, 'Mozilla/5.0 (bench)',
        jsonb_build_object('shared_with', 'finance@bench.test', 'permission', 'view', 'n', g), 'document.shared bench', repeat('0', 64), repeat('0', 64)
      from generate_series(1, ${EVENTS}) g`;
    await sql()`insert into event_chains (organization_id, chain_seq) values (${org!.id}, ${EVENTS})`;
    // Vacuumed, so the first pass (the delivery) does not pay for setting the fresh rows' hint bits that the baselines after it would get for free.
    await sql()`vacuum (analyze) audit_events`;
    console.log(`seeded ${fmt(EVENTS)} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const created = await createStream(owner, context, { name: "Bench throughput", destination: { type: "webhook", url: "http://127.0.0.1:9/placeholder" } });
    const receiver = await ReceiverProcess.start(created.secret!);
    receivers.push(receiver);
    await updateStream(owner, context, created.stream.id, { destination: { type: "webhook", url: receiver.url } });
    await sql()`update log_streams set cursor_seq = 0 where id = ${created.stream.id}`;
    const head = Number((await findStreamRow(org!.id, created.stream.id)).head_seq);

    started = performance.now();
    for (;;) {
      const row = await findStreamRow(org!.id, created.stream.id);
      if (Number(row.cursor_seq) >= head) break;
      await runStreamJob({ organizationId: org!.id, streamId: created.stream.id }, { heartbeat: async () => {} });
    }
    const deliveryMs = performance.now() - started;
    const delivered = await receiver.ask<ReceiverStats>("stats");
    if (delivered.unique !== head || delivered.bad > 0 || !delivered.inOrder) throw new Error(`throughput run delivered wrongly: ${JSON.stringify({ ...delivered, lagsMs: undefined })} (head ${head})`);

    started = performance.now();
    let rawRows = 0;
    for (let cursor = 0; ; ) {
      const rows = await sql()<{ seq: string }[]>`select * from audit_events where organization_id = ${org!.id} and seq > ${cursor} order by seq limit 1000`;
      if (rows.length === 0) break;
      rawRows += rows.length;
      cursor = Number(rows.at(-1)!.seq);
    }
    const rawMs = performance.now() - started;

    const stream = await findStreamRow(org!.id, created.stream.id);
    const destination = openDestination(stream);
    const readerScope = await streamReaderScope(org!.id);
    started = performance.now();
    let engineRows = 0;
    for (let cursor = 0; cursor < head; ) {
      const events = await eventsForStream(readerScope, { afterSeq: cursor, upToSeq: head, q: "", limit: 1000 });
      planDeliveryRequests({ streamId: stream.id, format: "orgtrail", events: events.map((event) => formatEvent(event, "orgtrail")) }, destination);
      engineRows += events.length;
      cursor = events.at(-1)!.seq;
    }
    const engineMs = performance.now() - started;
    await pauseStream(owner, context, created.stream.id, { reason: "throughput run done" });

    console.log("\n(a) delivery throughput, batches of 1,000, one stream, this process");
    console.table([
      { run: "raw seq-ordered SELECT, pages of 1,000 (baseline, nothing sent)", events: rawRows, seconds: +(rawMs / 1000).toFixed(2), "events/s": rate(rawRows, rawMs) },
      { run: "engine without HTTP: scoped read + format + sign", events: engineRows, seconds: +(engineMs / 1000).toFixed(2), "events/s": rate(engineRows, engineMs) },
      { run: "delivered to the webhook receiver (runStreamJob)", events: head, seconds: +(deliveryMs / 1000).toFixed(2), "events/s": rate(head, deliveryMs) },
    ]);
    console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(" ")}`);
    console.log(`delivered ÷ raw SELECT: ${(rawMs / deliveryMs).toFixed(2)}x; ${delivered.requests} requests, ${delivered.duplicates} duplicates, in order: ${delivered.inOrder}; goal ≥ 20,000 events/s: ${rate(head, deliveryMs) >= 20_000 ? "met" : "MISSED"}`);

    // ---- (b) lag under steady ingest, the real worker loop ----
    const lagStream = await createStream(owner, context, { name: "Bench lag", destination: { type: "webhook", url: "http://127.0.0.1:9/placeholder" } });
    const lagReceiver = await ReceiverProcess.start(lagStream.secret!);
    receivers.push(lagReceiver);
    await updateStream(owner, context, lagStream.stream.id, { destination: { type: "webhook", url: lagReceiver.url } });
    const lagStart = Number((await findStreamRow(org!.id, lagStream.stream.id)).cursor_seq);
    startJobWorkers();

    let ingested = 0;
    const tick = 100;
    const perTick = Math.max(1, Math.round((INGEST_RATE * tick) / 1000));
    const steadyIngest = async (seconds: number | (() => boolean)) => {
      const begin = Date.now();
      for (let index = 0; ; index++) {
        if (typeof seconds === "number" ? Date.now() - begin >= seconds * 1000 : seconds()) break;
        const due = begin + index * tick;
        if (due > Date.now()) await sleep(due - Date.now());
        const events = Array.from({ length: perTick }, (_, n) => ({
          action: n % 4 === 0 ? "user.signed_in" : "document.shared",
          occurred_at: new Date().toISOString(),
          actor: { type: "user", id: `u_${n}`, name: "Bench User" },
          targets: [{ type: "document", id: `doc_${index}`, name: "Plan" }],
          metadata: { n: index * perTick + n },
        }));
        await ingest(keyPrincipal, { events }, null);
        ingested += perTick;
      }
      return Date.now() - begin;
    };
    const waitCaughtUp = async (streamId: string, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await findStreamRow(org!.id, streamId);
        if (Number(row.cursor_seq) >= Number(row.head_seq)) return true;
        if (Date.now() > deadline) return false;
        await sleep(50);
      }
    };

    const lagMs = await steadyIngest(LAG_SECONDS);
    const lagCaughtUp = await waitCaughtUp(lagStream.stream.id, 30_000);
    const lagStats = await lagReceiver.ask<ReceiverStats>("stats");
    const lags = [...lagStats.lagsMs].sort((a, b) => a - b);
    const lagExpected = Number((await findStreamRow(org!.id, lagStream.stream.id)).head_seq) - lagStart;
    console.log(`\n(b) lag while ingesting ${fmt(rate(ingested, lagMs))} events/s for ${LAG_SECONDS} s (API ingest function, batches of ${perTick} every ${tick} ms), streams worker loop`);
    console.table([{ events: lagStats.unique, expected: lagExpected, duplicates: lagStats.duplicates, "in order": lagStats.inOrder, "p50 ms": percentile(lags, 50), "p95 ms": percentile(lags, 95), "p99 ms": percentile(lags, 99), "max ms": lags.at(-1) ?? NaN, "caught up": lagCaughtUp }]);
    console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(" ")}`);
    console.log(`goal p95 ≤ 2,000 ms: ${percentile(lags, 95) <= 2000 ? "met" : "MISSED"}`);

    // ---- (c) catch-up after an outage ----
    await lagReceiver.ask("stop");
    const outageIngested = ingested;
    const outageMs = await steadyIngest(OUTAGE_SECONDS);
    const outageRate = rate(ingested - outageIngested, outageMs);
    const atRecovery = await findStreamRow(org!.id, lagStream.stream.id);
    const backlog = Number(atRecovery.head_seq) - Number(atRecovery.cursor_seq);
    await lagReceiver.ask("reset");
    await lagReceiver.ask("start");
    const upAt = Date.now();
    let firstDeliveryAt = 0;
    let drainedAt = 0;
    const ingestDuring = steadyIngest(() => drainedAt > 0 || Date.now() - upAt > 15 * 60_000);
    while (!drainedAt && Date.now() - upAt < 15 * 60_000) {
      const row = await findStreamRow(org!.id, lagStream.stream.id);
      if (!firstDeliveryAt && Number(row.cursor_seq) > Number(atRecovery.cursor_seq)) firstDeliveryAt = Date.now();
      if (Number(row.cursor_seq) >= Number(atRecovery.head_seq)) drainedAt = Date.now();
      else await sleep(20);
    }
    await ingestDuring;
    const caughtUp = await waitCaughtUp(lagStream.stream.id, 30_000);
    const failures = await sql()<{ n: string }[]>`select count(*) as n from log_stream_deliveries where stream_id = ${lagStream.stream.id} and not ok`;
    const drainMs = drainedAt - firstDeliveryAt;
    console.log(`\n(c) catch-up after a ${OUTAGE_SECONDS} s outage (the issue's 10 minutes scaled down) with ingest going on at ~${fmt(outageRate)} events/s`);
    console.table([{
      "backlog events": backlog,
      "failed attempts": Number(failures[0]!.n),
      "wait for first delivery s (back-off)": +((firstDeliveryAt - upAt) / 1000).toFixed(1),
      "drain s": +(drainMs / 1000).toFixed(1),
      "events/s while draining": rate(Number(atRecovery.head_seq) - Number(atRecovery.cursor_seq), drainMs),
      "up → caught up s": +((drainedAt - upAt) / 1000).toFixed(1),
      "caught up": caughtUp,
    }]);
    const finalRow = await findStreamRow(org!.id, lagStream.stream.id);
    const final = await lagReceiver.ask<ReceiverStats>("stats");
    const received = lagStats.unique + final.unique;
    console.log(`load average ${loadavg().map((load) => load.toFixed(1)).join(" ")}`);
    console.log(`stream 2 overall: ${fmt(received)} events received of ${fmt(Number(finalRow.head_seq) - lagStart)} (missing ${Number(finalRow.head_seq) - lagStart - received}), duplicates ${lagStats.duplicates + final.duplicates}, bad signatures ${lagStats.bad + final.bad}, in order: ${lagStats.inOrder && final.inOrder}`);
  } finally {
    for (const receiver of receivers) receiver.close();
    // The worker loops keep polling until the process exits; dropping the database ends their connections.
    await database.release();
  }
}

if (process.argv[2] === "receiver") runReceiver(process.env.BENCH_RECEIVER_SECRET!);
else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

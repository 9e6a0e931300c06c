import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { sql } from "@/db/client";
import { event } from "@/db/testing/fixtures";
import { TEST_CONTEXT, eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { planDeliveryRequests } from "./destinations/plan-requests";
import { activeSigningSecrets } from "./signing-secrets";
import { listDeliveries, pauseStream, replayStream, resumeStream, rotateWebhookSecret } from "./stream-controls";
import { createStream, getStream, openDestination } from "./stream-store";
import { streamJobKey } from "./stream-job";
import { sendTestEvent } from "./stream-test-event";
import { sampleBatch } from "./testing/sample-events";
import { startSplunkHecReceiver, startWebhookReceiver, type Receiver } from "./testing/receivers";
import { answerOf, ingestEvents, orgWithRoles, streamRow, type OrgWithRoles } from "./testing/stream-fixtures";

// The receivers listen on 127.0.0.1 over plain http.
process.env.ORGTRAIL_STREAMS_ALLOW_PRIVATE = "1";

const SPLUNK_TOKEN = "controls-hec-token";
let splunk: Receiver;
beforeAll(async () => {
  splunk = await startSplunkHecReceiver({ token: SPLUNK_TOKEN });
});
afterAll(() => splunk.close());

async function webhookStream(org: OrgWithRoles, url = "http://127.0.0.1:9/hooks/orgtrail") {
  return createStream(org.scopes.owner, TEST_CONTEXT, { name: "Hook", destination: { type: "webhook", url } });
}

const streamEvents = async (org: { id: string }) =>
  (await sql()<{ action: string }[]>`select action from audit_events where organization_id = ${org.id} and action like 'orgtrail.log_stream.%' order by seq`).map((row) => row.action);

async function jobRunAt(streamId: string): Promise<Date> {
  const [job] = await sql()<{ run_at: Date }[]>`select run_at from jobs where dedupe_key = ${streamJobKey(streamId)}`;
  return job!.run_at;
}

describe("pausing and resuming", () => {
  it("pause stops the stream with the person's reason; resume restarts it at the cursor and wakes its job; one event each", async () => {
    const org = await orgWithRoles();
    const { stream } = await webhookStream(org);
    await sql()`update jobs set run_at = now() + interval '1 hour' where dedupe_key = ${streamJobKey(stream.id)}`;
    const paused = await pauseStream(org.scopes.admin, TEST_CONTEXT, stream.id, { reason: "SIEM maintenance" });
    expect(paused).toMatchObject({ state: "paused", paused_reason: "Paused by Test User: SIEM maintenance" });
    expect(await answerOf(pauseStream(org.scopes.owner, TEST_CONTEXT, stream.id, {}))).toMatchObject({ status: 409, code: "conflict" });
    await sql()`update log_streams set consecutive_failures = 3, failing_since = now() - interval '2 days', failing_reported_at = now() where id = ${stream.id}`;
    const resumed = await resumeStream(org.scopes.owner, TEST_CONTEXT, stream.id);
    expect(resumed).toMatchObject({ state: "active", retrying: false, paused_reason: null, failing_since: null, cursor_seq: stream.cursor_seq });
    expect((await jobRunAt(stream.id)).getTime()).toBeLessThanOrEqual(Date.now());
    expect(await answerOf(resumeStream(org.scopes.owner, TEST_CONTEXT, stream.id))).toMatchObject({ status: 409 });
    expect(await eventsOf(org.id, "orgtrail.log_stream.paused")).toMatchObject([{ actor: { type: "user" }, metadata: { type: "webhook", reason: "SIEM maintenance" } }]);
    expect(await eventsOf(org.id, "orgtrail.log_stream.resumed")).toMatchObject([{ metadata: { type: "webhook", from_seq: stream.cursor_seq + 1 } }]);
    expect(await streamEvents(org)).toEqual(["orgtrail.log_stream.created", "orgtrail.log_stream.paused", "orgtrail.log_stream.resumed"]);
  });

  it("is for owners and admins; a failed event write leaves the stream running; bad input is a clear 400", async () => {
    const org = await orgWithRoles();
    const { stream } = await webhookStream(org);
    for (const role of ["auditor", "member"] as const) {
      expect(await answerOf(pauseStream(org.scopes[role], TEST_CONTEXT, stream.id, {})), role).toMatchObject({ status: 403 });
      expect(await answerOf(resumeStream(org.scopes[role], TEST_CONTEXT, stream.id)), role).toMatchObject({ status: 403 });
    }
    expect(await answerOf(pauseStream(org.scopes.owner, TEST_CONTEXT, stream.id, { reason: "r".repeat(501) }))).toMatchObject({ status: 400, issues: [{ path: "reason" }] });
    expect(await answerOf(pauseStream(org.scopes.owner, TEST_CONTEXT, stream.id, { until: "later" }))).toMatchObject({ status: 400 });
    await expect(withFailingWrites("audit_events", "insert", org.id, () => pauseStream(org.scopes.owner, TEST_CONTEXT, stream.id, {}))).rejects.toThrow(/forced failure/);
    expect((await getStream(org.scopes.owner, stream.id)).state).toBe("active");
    expect(await streamEvents(org)).toEqual(["orgtrail.log_stream.created"]);
  });
});

describe("replay", () => {
  it("moves the cursor back to before the first event that occurred since the time, owners only, with one event", async () => {
    const org = await orgWithRoles();
    const base = Date.now() - 3_600_000;
    const appended = await ingestEvents(org, [0, 1, 2, 3].map((minute) => event({ occurred_at: new Date(base + minute * 60_000).toISOString() })));
    const { stream } = await webhookStream(org);
    await sql()`update log_streams set cursor_seq = ${stream.head_seq} where id = ${stream.id}`;
    for (const role of ["admin", "auditor", "member"] as const) {
      expect(await answerOf(replayStream(org.scopes[role], TEST_CONTEXT, stream.id, { from: new Date(base).toISOString() })), role).toMatchObject({ status: 403 });
    }
    const replayed = await replayStream(org.scopes.owner, TEST_CONTEXT, stream.id, { from: new Date(base + 90_000).toISOString() });
    expect(replayed.cursor_seq).toBe(appended[2]!.seq - 1);
    expect((await streamRow(org.id, stream.id)).replay_count).toBe(1);
    expect(await eventsOf(org.id, "orgtrail.log_stream.replayed")).toMatchObject([{ metadata: { from: new Date(base + 90_000).toISOString(), from_seq: appended[2]!.seq } }]);
    // occurred_at is the sender's and need not follow seq: an event that arrived late but occurred after `from` is sent again too.
    const again = await replayStream(org.scopes.owner, TEST_CONTEXT, stream.id, { from: new Date(base + 200_000).toISOString() });
    expect(again.cursor_seq).toBe(appended[2]!.seq - 1);
  });

  it("never moves the cursor forward: events not yet delivered are still sent", async () => {
    const org = await orgWithRoles();
    const { stream } = await webhookStream(org);
    await ingestEvents(org, [event(), event()]);
    const future = await replayStream(org.scopes.owner, TEST_CONTEXT, stream.id, { from: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.cursor_seq).toBe(stream.cursor_seq);
    expect(future.lag_events).toBeGreaterThanOrEqual(2);
  });

  it("refuses a time that is not one, or out of range, with a 400 and nothing written", async () => {
    const org = await orgWithRoles();
    const { stream } = await webhookStream(org);
    for (const from of ["yesterday", "2026-13-01T00:00:00Z", undefined]) {
      expect(await answerOf(replayStream(org.scopes.owner, TEST_CONTEXT, stream.id, { from })), String(from)).toMatchObject({ status: 400, issues: [{ path: "from" }] });
    }
    expect(await answerOf(replayStream(org.scopes.owner, TEST_CONTEXT, stream.id, { from: "0000-01-01T00:00:00Z" }))).toMatchObject({ status: 400, issues: [{ path: "from" }] });
    expect((await streamRow(org.id, stream.id)).replay_count).toBe(0);
    expect(await streamEvents(org)).toEqual(["orgtrail.log_stream.created"]);
  });
});

describe("rotating a webhook's signing secret", () => {
  it("returns the new secret once; both sign for 24 hours, then only the new one; one event", async () => {
    const org = await orgWithRoles();
    const { stream, secret: first } = await webhookStream(org);
    for (const role of ["auditor", "member"] as const) expect(await answerOf(rotateWebhookSecret(org.scopes[role], TEST_CONTEXT, stream.id)), role).toMatchObject({ status: 403 });
    const { secret: second, stream: rotated } = await rotateWebhookSecret(org.scopes.admin, TEST_CONTEXT, stream.id);
    expect(second).not.toBe(first);
    expect(rotated.destination.secret_hints).toEqual({ signing_secret: `whsec_…${second.slice(-4)}`, previous_signing_secret: `whsec_…${first!.slice(-4)}` });
    expect(JSON.stringify(rotated)).not.toContain(second.slice(6, 30));
    const [sealed] = await sql()<{ secrets_encrypted: string }[]>`select secrets_encrypted from log_streams where id = ${stream.id}`;
    expect(sealed!.secrets_encrypted).not.toContain(second.slice(6, 30));

    const signedWith = async () => {
      const row = await streamRow(org.id, stream.id);
      const [planned] = planDeliveryRequests(sampleBatch(1, 2), activeSigningSecrets(openDestination(row), row.secret_rotated_at));
      const { body, headers } = planned!.request;
      return [first!, second].map((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
    };
    expect(await signedWith()).toEqual([true, true]);
    await sql()`update log_streams set secret_rotated_at = now() - interval '24 hours 1 minute' where id = ${stream.id}`;
    expect(await signedWith()).toEqual([false, true]);
    expect(await eventsOf(org.id, "orgtrail.log_stream.secret_rotated")).toMatchObject([{ targets: [{ id: stream.id }], metadata: { type: "webhook" } }]);
    expect(JSON.stringify(await eventsOf(org.id, "orgtrail.log_stream.secret_rotated"))).not.toContain(second.slice(6, 30));
  });

  it("is refused for a Splunk or Datadog stream, with nothing written", async () => {
    const org = await orgWithRoles();
    const { stream } = await createStream(org.scopes.owner, TEST_CONTEXT, { name: "HEC", destination: { type: "splunk_hec", url: splunk.url, token: SPLUNK_TOKEN } });
    expect(await answerOf(rotateWebhookSecret(org.scopes.owner, TEST_CONTEXT, stream.id))).toMatchObject({ status: 400, message: expect.stringMatching(/Only a webhook/) });
    expect(await streamEvents(org)).toEqual(["orgtrail.log_stream.created"]);
  });
});

describe("test events and the delivery log", () => {
  let hook: Receiver;
  let secret: string;
  let org: OrgWithRoles;
  let streamId: string;
  beforeAll(async () => {
    org = await orgWithRoles();
    const created = await createStream(org.scopes.owner, TEST_CONTEXT, { name: "Hook", destination: { type: "webhook", url: "http://127.0.0.1:9/placeholder" } });
    secret = created.secret!;
    hook = await startWebhookReceiver({ secret });
    await sql()`update log_streams set config = jsonb_set(config, '{url}', to_jsonb(${hook.url}::text)) where id = ${created.stream.id}`;
    streamId = created.stream.id;
  });
  afterAll(() => hook.close());

  it("sends a signed orgtrail.log_stream.test event with seq 0, a new webhook-id each time, without moving the cursor", async () => {
    const before = await streamRow(org.id, streamId);
    const first = await sendTestEvent(org.scopes.owner, TEST_CONTEXT, streamId);
    const second = await sendTestEvent(org.scopes.admin, TEST_CONTEXT, streamId);
    expect(first).toMatchObject({ kind: "test", ok: true, status: 200, event_count: 1, first_seq: null, last_seq: null, error: null });
    expect(second.id).toBeGreaterThan(first.id);
    expect(hook.requests.map((request) => request.status)).toEqual([200, 200]);
    const bodies = hook.requests.map((request) => JSON.parse(request.body.toString()) as { action: string; seq: number; actor: { id: string } }[]);
    expect(bodies.map(([test]) => [test!.action, test!.seq])).toEqual([["orgtrail.log_stream.test", 0], ["orgtrail.log_stream.test", 0]]);
    const ids = hook.requests.map((request) => request.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(2);
    expect(Number((await streamRow(org.id, streamId)).cursor_seq)).toBe(Number(before.cursor_seq));
    expect((await listDeliveries(org.scopes.auditor, streamId)).slice(0, 2)).toEqual([second, first]);
  });

  it("records a refused test without pausing the stream; auditors and members may not send one", async () => {
    hook.failNext(1, { type: "status", status: 400, body: '{"error":"bad payload"}' });
    const refused = await sendTestEvent(org.scopes.owner, TEST_CONTEXT, streamId);
    expect(refused).toMatchObject({ kind: "test", ok: false, status: 400, error: 'HTTP 400: {"error":"bad payload"}' });
    expect((await getStream(org.scopes.owner, streamId)).state).toBe("active");
    for (const role of ["auditor", "member"] as const) expect(await answerOf(sendTestEvent(org.scopes[role], TEST_CONTEXT, streamId)), role).toMatchObject({ status: 403 });
    expect(await answerOf(listDeliveries(org.scopes.member, streamId))).toMatchObject({ status: 403 });
    const other = await orgWithRoles();
    expect(await answerOf(listDeliveries(other.scopes.owner, streamId))).toMatchObject({ status: 404 });
    expect(await answerOf(sendTestEvent(other.scopes.owner, TEST_CONTEXT, streamId))).toMatchObject({ status: 404 });
  });

  it("are limited to a few a minute per stream", async () => {
    const answers = [];
    for (let attempt = 0; attempt < 6; attempt++) answers.push(await answerOf(sendTestEvent(org.scopes.owner, TEST_CONTEXT, streamId)));
    expect(answers.filter((answer) => typeof answer === "object" && answer.status === 429).length).toBeGreaterThan(0);
  });
});

describe("another organization's stream", () => {
  it("is a 404 to every control", async () => {
    const org = await orgWithRoles();
    const other = await orgWithRoles();
    const { stream } = await webhookStream(other);
    const id = stream.id;
    const calls = [
      () => pauseStream(org.scopes.owner, TEST_CONTEXT, id, {}),
      () => resumeStream(org.scopes.owner, TEST_CONTEXT, id),
      () => replayStream(org.scopes.owner, TEST_CONTEXT, id, { from: "2026-01-01T00:00:00Z" }),
      () => rotateWebhookSecret(org.scopes.owner, TEST_CONTEXT, id),
      () => listDeliveries(org.scopes.owner, id),
    ];
    for (const call of calls) expect(await answerOf(call())).toMatchObject({ status: 404 });
    expect(await streamEvents(other)).toEqual(["orgtrail.log_stream.created"]);
  });
});

import { describe, expect, it } from "vitest";
import { sql } from "@/db/client";
import { createOrg } from "@/db/testing/fixtures";
import { TEST_CONTEXT, eventsOf, withFailingWrites } from "@/db/testing/app-event-assertions";
import { createStream, deleteStream, getStream, listStreams, openDestination, updateStream } from "./stream-store";
import { streamJobKey } from "./stream-job";
import { answerOf, orgWithRoles, streamRow, type OrgWithRoles } from "./testing/stream-fixtures";
import type { CreateStreamInput } from "./stream-input";

// These tests run as production does: streams may reach only public https addresses. Public IP literals need no DNS.
process.env.ORGTRAIL_STREAMS_ALLOW_PRIVATE = "0";

const WEBHOOK_URL = "https://93.184.215.14/hooks/orgtrail";
const SPLUNK_TOKEN = "5f0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
const DATADOG_KEY = "dd0123456789abcdef0123456789abcd";

const webhook = (overrides: Partial<CreateStreamInput> = {}): CreateStreamInput => ({
  name: "SIEM webhook",
  filter: "action:user.*",
  destination: { type: "webhook", url: WEBHOOK_URL, headers: { "X-Siem-Token": "hdr-secret-value-123" } },
  ...overrides,
});
const splunk = (): CreateStreamInput => ({ name: "Splunk", format: "ocsf", destination: { type: "splunk_hec", url: "https://93.184.215.15:8088", token: SPLUNK_TOKEN, index: "audit" } });
const datadog = (): CreateStreamInput => ({ name: "Datadog", destination: { type: "datadog", intake_url: "https://93.184.215.16/api/v2/logs", api_key: DATADOG_KEY, tags: ["env:test"] } });

async function storedSecrets(organizationId: string): Promise<string[]> {
  const rows = await sql()<{ secrets_encrypted: string }[]>`select secrets_encrypted from log_streams where organization_id = ${organizationId}`;
  return rows.map((row) => row.secrets_encrypted);
}

const streamEvents = async (org: { id: string }) =>
  (await sql()<{ action: string }[]>`select action from audit_events where organization_id = ${org.id} and action like 'orgtrail.log_stream.%' order by seq`).map((row) => row.action);

describe("creating a log stream", () => {
  it("returns a webhook's signing secret once, never again, and stores every secret sealed", async () => {
    const org = await orgWithRoles();
    // No row until the organization's first event.
    const [head] = await sql()<{ chain_seq: string }[]>`select chain_seq from event_chains where organization_id = ${org.id}`;
    const { stream, secret } = await createStream(org.scopes.owner, TEST_CONTEXT, webhook());
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(stream).toMatchObject({
      name: "SIEM webhook",
      state: "active",
      retrying: false,
      type: "webhook",
      format: "orgtrail",
      filter: "action:user.*",
      destination: { type: "webhook", url: WEBHOOK_URL, body_format: "json_array", header_names: ["X-Siem-Token"], secret_hints: { signing_secret: `whsec_…${secret!.slice(-4)}` } },
      cursor_seq: Number(head?.chain_seq ?? 0),
      paused_reason: null,
      created_by: "Test User",
    });
    const read = [stream, await getStream(org.scopes.auditor, stream.id), await listStreams(org.scopes.admin)];
    for (const json of read.map((value) => JSON.stringify(value))) {
      expect(json).not.toContain(secret!.slice(6, 30));
      expect(json).not.toContain("hdr-secret-value-123");
    }
    const [sealed] = await storedSecrets(org.id);
    expect(sealed).not.toContain(secret!.slice(6, 30));
    expect(sealed).not.toContain("hdr-secret-value-123");
    expect(Buffer.from(sealed!, "base64").toString("latin1")).not.toContain("hdr-secret-value-123");
    expect(openDestination(await streamRow(org.id, stream.id)).secrets).toEqual({ signing_secrets: [secret], headers: { "X-Siem-Token": "hdr-secret-value-123" } });
    const [job] = await sql()<{ queue: string; payload: unknown }[]>`select queue, payload from jobs where dedupe_key = ${streamJobKey(stream.id)}`;
    expect(job).toEqual({ queue: "log_stream", payload: { organizationId: org.id, streamId: stream.id } });
  });

  it("keeps a Splunk token and a Datadog API key out of every answer, the row and the log", async () => {
    const org = await orgWithRoles();
    const hec = await createStream(org.scopes.admin, TEST_CONTEXT, splunk());
    const dd = await createStream(org.scopes.owner, TEST_CONTEXT, datadog());
    expect(hec.secret).toBeUndefined();
    expect(dd.secret).toBeUndefined();
    expect(hec.stream.destination).toEqual({ type: "splunk_hec", url: "https://93.184.215.15:8088", index: "audit", source: "orgtrail", host: "orgtrail", secret_hints: { token: `…${SPLUNK_TOKEN.slice(-4)}` } });
    expect(dd.stream.destination).toMatchObject({ type: "datadog", intake_url: "https://93.184.215.16/api/v2/logs", secret_hints: { api_key: `…${DATADOG_KEY.slice(-4)}` } });
    const everything = JSON.stringify([hec, dd, await listStreams(org.scopes.auditor), await storedSecrets(org.id), await eventsOf(org.id, "orgtrail.log_stream.created")]);
    expect(everything).not.toContain(SPLUNK_TOKEN);
    expect(everything).not.toContain(DATADOG_KEY);
  });

  it("writes exactly one orgtrail.log_stream.created event, by the caller, in the organization's log", async () => {
    const org = await orgWithRoles();
    const { stream } = await createStream(org.scopes.owner, TEST_CONTEXT, webhook());
    const created = await eventsOf(org.id, "orgtrail.log_stream.created");
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      actor: { type: "user", id: org.scopes.owner.ownActorId },
      targets: [{ type: "log_stream", id: stream.id, name: "SIEM webhook" }],
      metadata: { type: "webhook", format: "orgtrail", filter: "action:user.*", url: WEBHOOK_URL },
      ip: TEST_CONTEXT.ip,
      user_agent: TEST_CONTEXT.userAgent,
    });
    expect(await streamEvents(org)).toEqual(["orgtrail.log_stream.created"]);
  });

  it("writes neither the stream nor its event when the event cannot be written", async () => {
    const org = await orgWithRoles();
    await expect(withFailingWrites("audit_events", "insert", org.id, () => createStream(org.scopes.owner, TEST_CONTEXT, webhook()))).rejects.toThrow(/forced failure/);
    expect(await listStreams(org.scopes.owner)).toEqual([]);
    expect(await streamEvents(org)).toEqual([]);
  });

  it("refuses bad input with an error naming the field, and writes nothing", async () => {
    const org = await orgWithRoles();
    const cases: [CreateStreamInput, string, RegExp][] = [
      [webhook({ filter: "action:user.* colour:blue" }), "filter", /colour:blue/],
      [webhook({ filter: "occurred:>7d action:user.*" }), "filter", /occurred:>7d: a stream filter cannot use occurred:/],
      [webhook({ filter: 'actor:"unterminated' }), "filter", /./],
      [{ ...webhook(), destination: { type: "kafka", url: WEBHOOK_URL } as never }, "destination.type", /type must be one of webhook, splunk_hec, datadog/],
      [webhook({ destination: { type: "webhook", url: WEBHOOK_URL, headers: { "Webhook-Signature": "v1,forged" } } }), "destination.headers.Webhook-Signature", /set by Orgtrail/],
      [webhook({ destination: { type: "webhook", url: "not a url" } }), "destination.url", /URL like https:/],
      [webhook({ format: "cef" as never }), "format", /must be one of orgtrail, ocsf/],
      [webhook({ name: "  " }), "name", /required/],
    ];
    for (const [input, path, message] of cases) {
      const answer = await answerOf(createStream(org.scopes.owner, TEST_CONTEXT, input));
      expect(answer, path).toMatchObject({ status: 400, code: "invalid_request" });
      const issue = answer === "ok" ? undefined : answer.issues?.find((candidate) => candidate.path === path);
      expect(issue?.message, `${path}: ${JSON.stringify(answer)}`).toMatch(message);
    }
    expect(await listStreams(org.scopes.owner)).toEqual([]);
    expect(await streamEvents(org)).toEqual([]);
  });

  it("refuses destinations on loopback, private, link-local and metadata addresses, and plain http (SSRF)", async () => {
    const org = await orgWithRoles();
    const refused = ["https://127.0.0.1/hook", "https://[::1]/hook", "https://10.1.2.3/hook", "https://192.168.0.10/hook", "https://169.254.169.254/latest/meta-data", "https://[::ffff:127.0.0.1]/x", "http://93.184.215.14/hook"];
    for (const url of refused) {
      const answer = await answerOf(createStream(org.scopes.owner, TEST_CONTEXT, webhook({ destination: { type: "webhook", url } })));
      expect(answer, url).toMatchObject({ status: 422, code: "validation_failed", issues: [{ path: "destination.url" }] });
    }
    const dd = await answerOf(createStream(org.scopes.owner, TEST_CONTEXT, { ...datadog(), destination: { type: "datadog", intake_url: "https://172.16.0.5/api/v2/logs", api_key: DATADOG_KEY } }));
    expect(dd).toMatchObject({ status: 422, issues: [{ path: "destination.intake_url", message: expect.stringMatching(/private address/) }] });
    expect(await listStreams(org.scopes.owner)).toEqual([]);
    expect(await streamEvents(org)).toEqual([]);
  });
});

describe("who may do what", () => {
  it("owners and admins manage streams, auditors only read them, members get forbidden", async () => {
    const org = await orgWithRoles();
    const { stream } = await createStream(org.scopes.admin, TEST_CONTEXT, webhook());
    for (const role of ["auditor", "member"] as const) {
      const scope = org.scopes[role];
      expect(await answerOf(createStream(scope, TEST_CONTEXT, webhook())), role).toMatchObject({ status: 403, code: "forbidden" });
      expect(await answerOf(updateStream(scope, TEST_CONTEXT, stream.id, { name: "x" })), role).toMatchObject({ status: 403 });
      expect(await answerOf(deleteStream(scope, TEST_CONTEXT, stream.id)), role).toMatchObject({ status: 403 });
    }
    expect(await answerOf(listStreams(org.scopes.member))).toMatchObject({ status: 403 });
    expect(await answerOf(getStream(org.scopes.member, stream.id))).toMatchObject({ status: 403 });
    expect((await listStreams(org.scopes.auditor)).map((s) => s.id)).toEqual([stream.id]);
    expect(await answerOf(updateStream(org.scopes.owner, TEST_CONTEXT, stream.id, { name: "by owner" }))).toBe("ok");
    expect(await streamEvents(org)).toEqual(["orgtrail.log_stream.created", "orgtrail.log_stream.updated"]);
  });

  it("answers 404 for another organization's stream and for ids that are no stream", async () => {
    const org = await orgWithRoles();
    const other = await orgWithRoles();
    const { stream } = await createStream(other.scopes.owner, TEST_CONTEXT, webhook());
    for (const id of [stream.id, "not-a-uuid", "00000000-0000-7000-8000-000000000000"]) {
      expect(await answerOf(getStream(org.scopes.owner, id)), id).toMatchObject({ status: 404, code: "not_found" });
      expect(await answerOf(updateStream(org.scopes.owner, TEST_CONTEXT, id, { name: "taken" })), id).toMatchObject({ status: 404 });
      expect(await answerOf(deleteStream(org.scopes.owner, TEST_CONTEXT, id)), id).toMatchObject({ status: 404 });
    }
    expect(await listStreams(org.scopes.owner)).toEqual([]);
    expect((await getStream(other.scopes.owner, stream.id)).name).toBe("SIEM webhook");
    expect(await streamEvents(org)).toEqual([]);
  });
});

describe("changing and deleting a log stream", () => {
  async function webhookStream(org: OrgWithRoles) {
    return createStream(org.scopes.owner, TEST_CONTEXT, webhook());
  }

  it("changes name, filter and format with one orgtrail.log_stream.updated event naming what changed", async () => {
    const org = await orgWithRoles();
    const { stream } = await webhookStream(org);
    const { stream: updated, secret } = await updateStream(org.scopes.admin, TEST_CONTEXT, stream.id, { name: "Renamed", filter: "-action:user.signed_out", format: "ocsf" });
    expect(secret).toBeUndefined();
    expect(updated).toMatchObject({ name: "Renamed", filter: "-action:user.signed_out", format: "ocsf", cursor_seq: stream.cursor_seq });
    const events = await eventsOf(org.id, "orgtrail.log_stream.updated");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targets: [{ id: stream.id, name: "Renamed" }], metadata: { changed: "name, filter, format", filter: "-action:user.signed_out", format: "ocsf" } });
  });

  it("keeps a webhook's signing secret when its destination changes; a stream that becomes a webhook gets one, shown once", async () => {
    const org = await orgWithRoles();
    const { stream, secret } = await webhookStream(org);
    const moved = await updateStream(org.scopes.owner, TEST_CONTEXT, stream.id, { destination: { type: "webhook", url: "https://93.184.215.20/new", body_format: "ndjson" } });
    expect(moved.secret).toBeUndefined();
    expect(openDestination(await streamRow(org.id, stream.id))).toEqual({
      config: { type: "webhook", url: "https://93.184.215.20/new", body_format: "ndjson", header_names: [] },
      secrets: { signing_secrets: [secret], headers: {} },
    });
    const { stream: hec } = await createStream(org.scopes.owner, TEST_CONTEXT, splunk());
    const becomes = await updateStream(org.scopes.owner, TEST_CONTEXT, hec.id, { destination: { type: "webhook", url: WEBHOOK_URL } });
    expect(becomes.secret).toMatch(/^whsec_/);
    expect(becomes.stream.destination.secret_hints).toEqual({ signing_secret: `whsec_…${becomes.secret!.slice(-4)}` });
    expect(JSON.stringify(await storedSecrets(org.id))).not.toContain(becomes.secret!.slice(6, 30));
  });

  it("refuses a private destination or bad input on update, leaving the stream and the log as they were", async () => {
    const org = await orgWithRoles();
    const { stream } = await webhookStream(org);
    expect(await answerOf(updateStream(org.scopes.owner, TEST_CONTEXT, stream.id, { destination: { type: "webhook", url: "https://169.254.169.254/" } }))).toMatchObject({ status: 422 });
    expect(await answerOf(updateStream(org.scopes.owner, TEST_CONTEXT, stream.id, { filter: "occurred:>1d" }))).toMatchObject({ status: 400, issues: [{ path: "filter" }] });
    expect(await answerOf(updateStream(org.scopes.owner, TEST_CONTEXT, stream.id, {}))).toMatchObject({ status: 400 });
    expect(await answerOf(updateStream(org.scopes.owner, TEST_CONTEXT, stream.id, { secrets: "x" } as never))).toMatchObject({ status: 400 });
    await expect(withFailingWrites("audit_events", "insert", org.id, () => updateStream(org.scopes.owner, TEST_CONTEXT, stream.id, { name: "never" }))).rejects.toThrow(/forced failure/);
    expect(await getStream(org.scopes.owner, stream.id)).toEqual(stream);
    expect(await streamEvents(org)).toEqual(["orgtrail.log_stream.created"]);
  });

  it("deletes with one orgtrail.log_stream.deleted event; the second delete is a 404", async () => {
    const org = await orgWithRoles();
    const { stream } = await webhookStream(org);
    await expect(withFailingWrites("audit_events", "insert", org.id, () => deleteStream(org.scopes.owner, TEST_CONTEXT, stream.id))).rejects.toThrow(/forced failure/);
    expect((await listStreams(org.scopes.owner)).map((s) => s.id)).toEqual([stream.id]);
    await deleteStream(org.scopes.admin, TEST_CONTEXT, stream.id);
    expect(await listStreams(org.scopes.owner)).toEqual([]);
    expect(await answerOf(deleteStream(org.scopes.owner, TEST_CONTEXT, stream.id))).toMatchObject({ status: 404 });
    const deleted = await eventsOf(org.id, "orgtrail.log_stream.deleted");
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ targets: [{ type: "log_stream", id: stream.id }], metadata: { type: "webhook", url: WEBHOOK_URL } });
    expect(await streamEvents(org)).toEqual(["orgtrail.log_stream.created", "orgtrail.log_stream.deleted"]);
  });

  it("lists only the caller's organization's streams, oldest first", async () => {
    const org = await orgWithRoles();
    const other = await createOrg();
    expect(other.id).not.toBe(org.id);
    const first = await createStream(org.scopes.owner, TEST_CONTEXT, webhook({ name: "one" }));
    const second = await createStream(org.scopes.owner, TEST_CONTEXT, splunk());
    expect((await listStreams(org.scopes.auditor)).map((s) => s.id)).toEqual([first.stream.id, second.stream.id]);
  });
});

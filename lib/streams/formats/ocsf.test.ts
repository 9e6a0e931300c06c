import { describe, expect, it } from "vitest";
import { SAMPLE_EVENT } from "../testing/sample-events";
import { formatEvent } from "./format-event";
import { ocsfActivity, toOcsfApiActivity } from "./ocsf";

/** The attributes OCSF 1.3.0 requires of an API Activity (base event + class 6003), and of the objects in it. */
const REQUIRED_PATHS = [
  "activity_id", "category_uid", "class_uid", "type_uid", "severity_id", "time",
  "metadata", "metadata.version", "metadata.product", "metadata.product.vendor_name",
  "actor", "api", "api.operation", "src_endpoint",
];

function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}

describe("OCSF API Activity", () => {
  it("has every attribute class 6003 requires, with consistent ids", () => {
    const ocsf = JSON.parse(JSON.stringify(toOcsfApiActivity(SAMPLE_EVENT)));
    for (const path of REQUIRED_PATHS) expect(at(ocsf, path), path).toBeDefined();
    expect(ocsf).toMatchObject({
      class_uid: 6003,
      class_name: "API Activity",
      category_uid: 6,
      category_name: "Application Activity",
      activity_id: 99,
      activity_name: "shared",
      type_uid: 600399,
      type_name: "API Activity: shared",
      severity_id: 1,
      severity: "Informational",
      status_id: 1,
      status: "Success",
      time: Date.parse("2026-11-20T10:15:00.123Z"),
    });
    expect(Number.isInteger(ocsf.time)).toBe(true);
    expect(ocsf.type_uid).toBe(ocsf.class_uid * 100 + ocsf.activity_id);
  });

  it("carries the event's id and seq, and maps actor, targets, ip and user agent", () => {
    const ocsf = toOcsfApiActivity(SAMPLE_EVENT, { vendorName: "Acme SaaS", severityId: 3 });
    expect(ocsf.metadata).toEqual({
      version: "1.3.0",
      uid: SAMPLE_EVENT.id,
      sequence: 42,
      original_time: "2026-11-20T10:15:00.123Z",
      logged_time: Date.parse("2026-11-20T10:15:01.456Z"),
      correlation_uid: "req_9",
      product: { name: "Orgtrail", vendor_name: "Acme SaaS" },
    });
    expect(ocsf.actor).toEqual({ user: { uid: "u_42", name: "Ada Lovelace", type: "User", type_id: 1, email_addr: "ada@acme.test" } });
    expect(ocsf.api).toEqual({ operation: "document.shared" });
    expect(ocsf.src_endpoint).toEqual({ ip: "203.0.113.7" });
    expect(ocsf.http_request).toEqual({ user_agent: "Mozilla/5.0 (X11)" });
    expect(ocsf.resources).toEqual([
      { uid: "doc_7", type: "document", name: "Q3 plan" },
      { uid: "t_1", type: "team", data: { size: 4 } },
    ]);
    expect(ocsf.unmapped).toEqual({
      organization_id: SAMPLE_EVENT.organization_id,
      seq: 42,
      version: 2,
      hash: SAMPLE_EVENT.hash,
      metadata: SAMPLE_EVENT.metadata,
      actor_metadata: { email: "ada@acme.test" },
    });
    expect([ocsf.severity_id, ocsf.severity]).toEqual([3, "Medium"]);
  });

  it("keeps the required src_endpoint without an ip, and maps non-user actors and failures", () => {
    const ocsf = toOcsfApiActivity({
      ...SAMPLE_EVENT,
      action: "orgtrail.user.sign_in_failed",
      actor: { type: "api_key", id: "key_1" },
      targets: [],
      context: {},
      metadata: {},
    });
    expect(ocsf.src_endpoint).toEqual({});
    expect(ocsf).not.toHaveProperty("http_request");
    expect(ocsf.metadata).not.toHaveProperty("correlation_uid");
    expect(ocsf.actor.user).toEqual({ uid: "key_1", type: "api_key", type_id: 99 });
    expect(ocsf.resources).toEqual([]);
    expect([ocsf.status_id, ocsf.status]).toEqual([2, "Failure"]);
    expect(ocsf.message).toBe("orgtrail.user.sign_in_failed by api_key key_1");
  });

  it("derives the activity from the action's verb", () => {
    const cases: [string, number, string][] = [
      ["document.created", 1, "Create"],
      ["orgtrail.member.invited", 1, "Create"],
      ["report.viewed", 2, "Read"],
      ["orgtrail.audit_log.exported", 2, "Read"],
      ["orgtrail.member.role_changed", 3, "Update"],
      ["orgtrail.retention.changed", 3, "Update"],
      ["orgtrail.api_key.revoked", 4, "Delete"],
      ["orgtrail.member.removed", 4, "Delete"],
      ["user.deleted", 4, "Delete"],
      ["orgtrail.user.signed_in", 99, "signed_in"],
      ["document.shared", 99, "shared"],
    ];
    for (const [action, id, name] of cases) expect(ocsfActivity(action), action).toEqual({ activity_id: id, activity_name: name });
  });
});

describe("formatEvent", () => {
  it("gives id, seq and time beside the payload, in both formats", () => {
    const orgtrail = formatEvent(SAMPLE_EVENT, "orgtrail");
    expect(orgtrail).toEqual({ id: SAMPLE_EVENT.id, seq: 42, time: Date.parse(SAMPLE_EVENT.occurred_at), payload: SAMPLE_EVENT });
    const ocsf = formatEvent(SAMPLE_EVENT, "ocsf", { vendorName: "Acme" });
    expect(ocsf).toMatchObject({ id: SAMPLE_EVENT.id, seq: 42, payload: { class_uid: 6003, metadata: { uid: SAMPLE_EVENT.id, sequence: 42 } } });
  });
});

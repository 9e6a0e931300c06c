import { describe, expect, it } from "vitest";
import { toAuditEvent, type StoredEventRow } from "./stored-event";

const row = (ip: string | null): StoredEventRow => ({
  organizationId: "0190a000-0000-7000-8000-000000000001",
  id: "0190a000-0000-7000-8000-000000000002",
  seq: 7,
  action: "user.signed_in",
  version: 1,
  occurredAt: new Date("2026-11-20T10:23:17.250Z"),
  receivedAt: new Date("2026-11-20T10:23:18Z"),
  actorType: "user",
  actorId: "u_1",
  actorName: null,
  actorMetadata: null,
  targets: [],
  ip,
  userAgent: null,
  metadata: null,
  hash: "h",
});

describe("toAuditEvent", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    ["203.0.113.9/32", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:DB8:0:0:0:0:0:1/128", "2001:db8::1"],
    ["::203.0.113.9", "::cb00:7109"],
  ])("writes the stored inet %s as the address %s", (ip, location) => {
    expect(toAuditEvent(row(ip)).context).toEqual({ location });
  });

  it("leaves out a location the event did not have, or a network that is not one address", () => {
    expect(toAuditEvent(row(null)).context).toEqual({});
    expect(toAuditEvent(row("10.0.0.0/8")).context).toEqual({});
    expect(toAuditEvent(row("2001:db8::/32")).context).toEqual({});
  });
});

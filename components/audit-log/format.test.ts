import { describe, expect, it } from "vitest";
import { countOf, entityEmail, entityLabel, formatApproximate, formatBucket, formatCount, formatFullTime, formatTime, relativeTime } from "./format";

/** An instant whose wall-clock reading in this process's zone is the one given, so local-time checks hold in any TZ. */
const localInstant = (year: number, month: number, day: number, h: number, m: number, s: number, ms = 0) => new Date(year, month - 1, day, h, m, s, ms).toISOString();

describe("formatTime", () => {
  it("writes UTC times at a fixed width, zero-padded", () => {
    expect(formatTime("2026-11-20T10:15:02.045Z", "utc")).toBe("2026-11-20 10:15:02");
    expect(formatTime("2026-01-02T03:04:05Z", "utc")).toBe("2026-01-02 03:04:05");
    expect(formatTime("2026-11-20T12:15:02+02:00", "utc")).toBe("2026-11-20 10:15:02");
  });

  it("writes local times as the viewer's clock reads them", () => {
    expect(formatTime(localInstant(2026, 1, 2, 3, 4, 5), "local")).toBe("2026-01-02 03:04:05");
    expect(formatTime(localInstant(2026, 12, 31, 23, 59, 59, 999), "local")).toBe("2026-12-31 23:59:59");
  });
});

describe("formatFullTime", () => {
  it("adds zero-padded milliseconds and the zone", () => {
    expect(formatFullTime("2026-11-20T10:15:02.045Z", "utc")).toBe("2026-11-20 10:15:02.045 UTC");
    expect(formatFullTime("2026-11-20T10:15:02.7Z", "utc")).toBe("2026-11-20 10:15:02.700 UTC");
    expect(formatFullTime("2026-11-20T10:15:02Z", "utc")).toBe("2026-11-20 10:15:02.000 UTC");
  });

  it("names the local zone after a local time", () => {
    const full = formatFullTime(localInstant(2026, 3, 4, 5, 6, 7, 8), "local");
    expect(full).toMatch(/^2026-03-04 05:06:07\.008 \S/);
    expect(full.length).toBeGreaterThan("2026-03-04 05:06:07.008 ".length);
  });
});

describe("relativeTime", () => {
  const now = Date.parse("2026-11-20T10:00:00.000Z");

  it("says how long ago", () => {
    expect(relativeTime("2026-11-20T09:57:00.000Z", now)).toBe("3 minutes ago");
    expect(relativeTime("2026-11-20T09:00:00.000Z", now)).toBe("1 hour ago");
    expect(relativeTime("2026-11-17T10:00:00.000Z", now)).toBe("3 days ago");
    expect(relativeTime("2026-11-20T09:59:59.000Z", now)).toBe("1 second ago");
  });

  it("says 'in' for a time after now (a clock running ahead), and 'ago' for now itself", () => {
    expect(relativeTime("2026-11-20T10:02:00.000Z", now)).toBe("in 2 minutes");
    expect(relativeTime("2026-11-20T10:00:00.000Z", now)).toBe("0 seconds ago");
  });
});

describe("formatBucket", () => {
  it("labels day buckets with the date, shorter ones with the month, day and minute", () => {
    expect(formatBucket("2026-11-20T00:00:00Z", 86_400, "utc")).toBe("2026-11-20");
    expect(formatBucket("2026-11-20T00:00:00Z", 7 * 86_400, "utc")).toBe("2026-11-20");
    expect(formatBucket("2026-11-20T10:15:00Z", 86_399, "utc")).toBe("11-20 10:15");
    expect(formatBucket("2026-11-20T10:15:00Z", 60, "utc")).toBe("11-20 10:15");
  });

  it("follows the chosen zone", () => {
    expect(formatBucket(localInstant(2026, 11, 20, 22, 30, 0), 3_600, "local")).toBe("11-20 22:30");
    expect(formatBucket(localInstant(2026, 11, 20, 0, 0, 0), 86_400, "local")).toBe("2026-11-20");
  });
});

describe("entityLabel and entityEmail", () => {
  it("labels an entity by its name, else by type and id", () => {
    expect(entityLabel({ type: "user", id: "u_1", name: "Ada Lovelace" })).toBe("Ada Lovelace");
    expect(entityLabel({ type: "user", id: "u_1" })).toBe("user:u_1");
    expect(entityLabel({ type: "api_key", id: "k_9", name: "" })).toBe("api_key:k_9");
  });

  it("reads an email only when the metadata holds a string", () => {
    expect(entityEmail({ type: "user", id: "u_1", metadata: { email: "ada@acme.test" } })).toBe("ada@acme.test");
    expect(entityEmail({ type: "user", id: "u_1" })).toBeNull();
    expect(entityEmail({ type: "user", id: "u_1", metadata: {} })).toBeNull();
    expect(entityEmail({ type: "user", id: "u_1", metadata: { email: 42 } })).toBeNull();
    expect(entityEmail({ type: "user", id: "u_1", metadata: { email: true } })).toBeNull();
  });
});

describe("formatCount and formatApproximate", () => {
  it("groups thousands with commas, whatever the viewer's locale", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1_234_567)).toBe("1,234,567");
  });

  it("shortens estimates to one decimal with K, M and B", () => {
    expect(formatApproximate(999)).toBe("999");
    expect(formatApproximate(1_500)).toBe("1.5K");
    expect(formatApproximate(1_234_567)).toBe("1.2M");
    expect(formatApproximate(2_000_000)).toBe("2M");
    expect(formatApproximate(3_450_000_000)).toBe("3.5B");
  });
});

describe("countOf", () => {
  it("puts the noun in the singular for exactly one", () => {
    expect(countOf(1, "event")).toBe("1 event");
    expect(countOf(0, "event")).toBe("0 events");
    expect(countOf(2, "event")).toBe("2 events");
    expect(countOf(12403, "event")).toBe("12,403 events");
    expect(countOf(1, "entry", "entries")).toBe("1 entry");
    expect(countOf(3, "entry", "entries")).toBe("3 entries");
  });
});

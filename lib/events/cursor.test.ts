import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { decodeCursor, encodeCursor, filterFingerprint } from "./cursor";
import { httpStatus } from "@/lib/api/error-response";

const position = { occurredAt: "2026-11-20T10:15:00.000Z", id: "019a0000-0000-7000-8000-000000000001" };

function statusOf(fn: () => unknown): number | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof AppError ? httpStatus(error) : -1;
  }
}

describe("cursor", () => {
  const f = filterFingerprint(["action:user.*"]);

  it("round-trips", () => {
    expect(decodeCursor(encodeCursor(position, "org-a", f), "org-a", f)).toEqual(position);
  });

  it("is a 404 in another organization and a 400 with another filter", () => {
    const cursor = encodeCursor(position, "org-a", f);
    expect(statusOf(() => decodeCursor(cursor, "org-b", f))).toBe(404);
    expect(statusOf(() => decodeCursor(cursor, "org-a", filterFingerprint([""])))).toBe(400);
  });

  it.each(["", "!!!", "e30", Buffer.from('{"t":"x","i":"y","o":"org-a"}').toString("base64url"), "a".repeat(600)])("rejects garbage %#", (cursor) => {
    expect(statusOf(() => decodeCursor(cursor, "org-a", f))).toBe(400);
  });

  it.each(["0000-01-01T00:00:00.000Z", "+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", "9999-12-31T23:59:59-01:00", "275760-09-13T00:00:00.000Z"])(
    "rejects a cursor forged with the right fingerprint and the time %s",
    (t) => {
      const forged = encodeCursor({ occurredAt: t, id: position.id }, "org-a", f);
      expect(statusOf(() => decodeCursor(forged, "org-a", f))).toBe(400);
    },
  );

  it("keeps times at the bounds", () => {
    for (const t of ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"]) {
      expect(decodeCursor(encodeCursor({ occurredAt: t, id: position.id }, "org-a", f), "org-a", f).occurredAt).toBe(t);
    }
  });
});

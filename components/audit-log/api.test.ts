import { beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/orgs/[org]/events/route";
import { createKey, createOrg } from "@/db/testing/fixtures";
import type { ErrorIssue } from "@/lib/errors";
import { ApiFailure, queryIssueRanges } from "./api";

describe("queryIssueRanges", () => {
  let search: (q: string) => Promise<{ status: number; issues: ErrorIssue[] }>;

  beforeAll(async () => {
    const org = await createOrg();
    const { secret } = await createKey(org.id, ["events:read"]);
    search = async (q) => {
      const response = await GET(new Request(`http://localhost/api/v1/orgs/${org.slug}/events?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${secret}` } }), {
        params: Promise.resolve({ org: org.slug }),
      });
      const body = (await response.json()) as { error?: { issues?: ErrorIssue[] } };
      return { status: response.status, issues: body.error?.issues ?? [] };
    };
  });

  it.each([
    ["an unknown key after a good term", "action:user.* colour:blue", ["colour:blue"]],
    ["an unclosed quote", 'actor:ada "half', ['"half']],
    ["a bad term after accents and an emoji (UTF-16 places on both sides)", '"Zoë 🚀" occurred:yesterday ip:1.2.3.4', ["occurred:yesterday"]],
    ["a negated bad term", "-ip:999.1.1.1", ["-ip:999.1.1.1"]],
    ["every bad term, not only the first", "colour:blue action:user.* ip:nope - action:Bad", ["colour:blue", "ip:nope", "-", "action:Bad"]],
    ["bad terms before an unclosed quote", 'ip:x "open', ["ip:x", '"open']],
  ])("points at the terms the server's error names: %s", async (_, q, terms) => {
    const { status, issues } = await search(q);
    expect(status).toBe(400);
    const ranges = queryIssueRanges(issues, q);
    expect(ranges.map((range) => q.slice(range.start, range.end))).toEqual(terms);
    for (const [index, range] of ranges.entries()) expect(range.message).toContain(terms[index]!);
  });

  it("is empty when no issue is about a part of the query", () => {
    expect(queryIssueRanges([])).toEqual([]);
    expect(queryIssueRanges([{ path: "limit", message: "too big" }, { path: "q", message: "whole query" }, { path: "q[1:x]", message: "odd" }])).toEqual([]);
  });

  it("keeps the issues that point into the query, in its order, dropping overlaps and ranges past its end", () => {
    const issues = [
      { path: "from", message: "bad date" },
      { path: "q[10:12]", message: "second" },
      { path: "q[4:9]", message: "first" },
      { path: "q[5:7]", message: "overlaps" },
      { path: "q[20:40]", message: "past the end" },
    ];
    expect(queryIssueRanges(issues, "x".repeat(30))).toEqual([
      { start: 4, end: 9, message: "first" },
      { start: 10, end: 12, message: "second" },
    ]);
  });
});

describe("ApiFailure", () => {
  it("keeps the status, issues and code, and knows a query timeout", () => {
    const failure = new ApiFailure(503, "The search took too long", [], "query_timeout");
    expect(failure).toBeInstanceOf(Error);
    expect(failure.message).toBe("The search took too long");
    expect(failure.status).toBe(503);
    expect(failure.timedOut).toBe(true);
    expect(new ApiFailure(503, "Unavailable").timedOut).toBe(false);
    expect(new ApiFailure(400, "Bad query", [{ path: "q[0:3]", message: "x" }], "invalid_query")).toMatchObject({ timedOut: false, code: "invalid_query", issues: [{ path: "q[0:3]", message: "x" }] });
  });
});

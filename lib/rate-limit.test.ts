import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { RateLimiter } from "./rate-limit";
import { httpStatus } from "@/lib/api/error-response";

describe("RateLimiter", () => {
  it("allows a burst, then refuses with the seconds to wait, then refills", () => {
    const limiter = new RateLimiter(2, 4);
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) expect(limiter.take("k", 1, t0).ok).toBe(true);
    expect(limiter.take("k", 1, t0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("k", 1, t0 + 500).ok).toBe(true);
    expect(limiter.take("other", 1, t0).ok).toBe(true);
  });

  it("enforce throws a 429 with Retry-After", () => {
    const limiter = new RateLimiter(1, 1);
    limiter.enforce("k");
    try {
      limiter.enforce("k");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(httpStatus((error as AppError))).toBe(429);
      expect((error as AppError).retryAfterSeconds).toBe(1);
    }
  });
});

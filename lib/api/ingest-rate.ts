import "server-only";
import { env } from "@/lib/env";
import type { Principal } from "@/lib/auth/principal";
import { RateLimiter } from "@/lib/rate-limit";

let limiter: RateLimiter | undefined;

/** Ingest requests per API key per second (ORGTRAIL_INGEST_RATE_PER_SECOND), bursts of twice that. */
export function enforceIngestRate(principal: Principal): void {
  const rate = env().ORGTRAIL_INGEST_RATE_PER_SECOND;
  limiter ??= new RateLimiter(rate, rate * 2);
  limiter.enforce(principal.kind === "api_key" ? `key:${principal.keyId}` : `user:${principal.userId}`);
}

import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { RateLimiter } from "@/lib/api/rate-limit";
import { normalizeIp } from "@/lib/events/ip";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "./password";
import { recordSignIn, recordSignInFailed } from "./sign-in-events";

// Failed attempts: 10 per account and 50 per IP, refilled over 15 minutes.
const accountFailures = new RateLimiter(10 / 900, 10);
const ipFailures = new RateLimiter(50 / 900, 50);

export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

export function clientIp(headers: Record<string, string | string[] | undefined>): string | null {
  const forwarded = headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  const real = headers["x-real-ip"];
  const candidate = first || (Array.isArray(real) ? real[0] : real);
  return candidate ? normalizeIp(candidate) : null;
}

type Attempt = { email: string; password: string; ip: string | null; userAgent: string | null };

/**
 * Checks an email and password. The answer and its timing are the same for an
 * unknown email and a wrong password, so sign-in does not reveal accounts.
 */
export async function authenticate(attempt: Attempt): Promise<{ id: string; email: string; name: string } | null> {
  const email = attempt.email.trim().toLowerCase().slice(0, 320);
  const ipKey = `ip:${attempt.ip ?? "unknown"}`;
  if (!accountFailures.has(email) || !ipFailures.has(ipKey)) throw new Error(TOO_MANY_ATTEMPTS);
  const [user] = await db().select().from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(attempt.password.slice(0, 1024), user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  const context = { ip: attempt.ip, userAgent: attempt.userAgent };
  if (!user || !valid) {
    accountFailures.take(email);
    ipFailures.take(ipKey);
    if (user) await recordSignInFailed(user.id, context);
    return null;
  }
  await recordSignIn(user.id, context);
  return { id: user.id, email: user.email, name: user.name };
}

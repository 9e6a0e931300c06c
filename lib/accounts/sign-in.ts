import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { isStorableText } from "@/lib/storable-text";
import { describeError } from "@/db/errors";
import type { RequestContext } from "@/lib/auth/request-context";
import { countMalformedAttempt, countWrongPassword, mayAttemptFrom, mayTryPassword, TOO_MANY_ATTEMPTS } from "@/lib/auth/attempt-limits";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "@/lib/auth/password";
import { recordSignIn, recordSignInFailed } from "./sign-in-events";

/** What a sign-in form may send; anything else is refused like a wrong password, before any lookup. */
const signInInput = z.object({
  email: z.string().trim().max(320).refine(isStorableText).toLowerCase(),
  password: z.string().max(1024),
});

/** A sign-in attempt as it arrives: the fields are whatever the client sent. */
type Attempt = { email: unknown; password: unknown } & RequestContext;

export type SignedInUser = { id: string; email: string; name: string };

/**
 * Checks an email and password. An unknown email, an account without a
 * password (single sign-on) and a wrong password get the same answer after the
 * same awaited work: one user lookup and one scrypt at the same cost. The
 * failure event of a known account is written off the response path, so its
 * cost does not tell known emails from unknown ones either. Throws only
 * TOO_MANY_ATTEMPTS (see attempt-limits.ts).
 */
export async function authenticate(attempt: Attempt): Promise<SignedInUser | null> {
  const input = signInInput.safeParse({ email: attempt.email, password: attempt.password });
  if (!input.success) {
    if (!mayAttemptFrom(attempt.ip)) throw new Error(TOO_MANY_ATTEMPTS);
    countMalformedAttempt(attempt.ip);
    return null;
  }
  const { email, password } = input.data;
  if (!mayTryPassword(email, attempt.ip)) throw new Error(TOO_MANY_ATTEMPTS);
  const [user] = await db().select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash }).from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  const context: RequestContext = { ip: attempt.ip, userAgent: attempt.userAgent };
  if (!user?.passwordHash || !valid) {
    countWrongPassword(email, attempt.ip);
    if (user) {
      recordSignInFailed(user.id, context).catch((error: unknown) => console.error(`[auth] a failed sign-in could not be recorded: ${describeError(error)}`));
    }
    return null;
  }
  await recordSignIn(user.id, context);
  return { id: user.id, email: user.email, name: user.name };
}

import "server-only";
import { RateLimiter } from "@/lib/rate-limit";

/**
 * Limits on wrong passwords (sign-in and password change), per process.
 *
 * Failures count per account *and* IP, so someone guessing at an account is
 * slowed down without locking its owner out: a stranger's failures from their
 * own address never refuse the owner signing in from another. Each IP also has
 * a limit across accounts, against spraying one password over many emails.
 * A bucket refills over 15 minutes: after the 10th failure an account-and-IP
 * pair gets one more try every 90 seconds.
 */
const accountAndIpFailures = new RateLimiter(10 / 900, 10);
const ipFailures = new RateLimiter(50 / 900, 50);

export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

const ipKey = (ip: string | null) => ip ?? "unknown";

/** `account` names what is guessed at: a normalized email, or `user:<id>` for a signed-in user's password. */
const pairKey = (account: string, ip: string | null) => `${account}\u0000${ipKey(ip)}`;

/** Whether another password may be tried for this account from this IP now. */
export function mayTryPassword(account: string, ip: string | null): boolean {
  return accountAndIpFailures.has(pairKey(account, ip)) && ipFailures.has(ipKey(ip));
}

export function countWrongPassword(account: string, ip: string | null): void {
  accountAndIpFailures.take(pairKey(account, ip));
  ipFailures.take(ipKey(ip));
}

/** Whether this IP may make another attempt at all (checked for input that names no account). */
export function mayAttemptFrom(ip: string | null): boolean {
  return ipFailures.has(ipKey(ip));
}

/** Counts a malformed attempt against the IP only: it names no account. */
export function countMalformedAttempt(ip: string | null): void {
  ipFailures.take(ipKey(ip));
}

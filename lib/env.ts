import ipaddr from "ipaddr.js";
import { z } from "zod";

/** An address range: a network address and its prefix length. */
export type IpRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** `10.0.0.0/8, 2001:db8::/32, 192.0.2.7` → ranges; a bare address is a range of one. */
const ipRanges = z.string().transform((value, context): IpRange[] => {
  const ranges: IpRange[] = [];
  for (const entry of value.split(",").map((part) => part.trim()).filter(Boolean)) {
    if (ipaddr.isValidCIDR(entry)) ranges.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const address = ipaddr.parse(entry);
      ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    } else context.addIssue({ code: "custom", message: `"${entry}" is not an IP address or CIDR range (like 10.0.0.0/8 or 2001:db8::/32)` });
  }
  return ranges;
});

/** An unset variable and an empty one (`VAR=` in a compose file) both mean "not set". */
const unsetIfEmpty = <T extends z.ZodType>(type: T) => z.preprocess((value) => (value === "" ? undefined : value), type.optional());

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Discovery, keys and tokens come from the issuer, so it must be https (plain http only on this machine, for development). */
const oidcIssuer = z.string().superRefine((value, context) => {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url) context.addIssue({ code: "custom", message: "ORGTRAIL_OIDC_ISSUER must be a URL like https://login.example.com" });
  else if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))) {
    context.addIssue({ code: "custom", message: "ORGTRAIL_OIDC_ISSUER must be an https:// URL (http:// only for localhost)" });
  } else if (url.search || url.hash) context.addIssue({ code: "custom", message: "ORGTRAIL_OIDC_ISSUER must not have a query or fragment" });
});

/** 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32), decoded. */
const streamsKey = z.string().transform((value, context) => {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, "hex") : /^[A-Za-z0-9+/_-]{43}=?$/.test(value) ? Buffer.from(value, "base64") : null;
  if (key) return key;
  context.addIssue({ code: "custom", message: "ORGTRAIL_STREAMS_KEY must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)" });
  return z.NEVER;
});

const OIDC_REQUIRED = ["ORGTRAIL_OIDC_ISSUER", "ORGTRAIL_OIDC_CLIENT_ID", "ORGTRAIL_OIDC_CLIENT_SECRET"] as const;

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: start the app with `npm run dev` / `npm start` (embedded PostgreSQL) or set it to postgres://user:pass@host:port/db" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://"),
  NEXTAUTH_SECRET: z
    .string({ error: "NEXTAUTH_SECRET is not set: set it to a random string of at least 32 characters (openssl rand -base64 32)" })
    .min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
  NEXTAUTH_URL: z.url("NEXTAUTH_URL must be a URL like https://audit.example.com").optional(),
  ORGTRAIL_EXPORT_DIR: z.string().default(".data/exports"),
  ORGTRAIL_INGEST_RATE_PER_SECOND: z.coerce.number().int().positive().default(5000),
  ORGTRAIL_LOG_SQL: z.enum(["0", "1"]).default("0"),
  // The reverse proxies whose X-Forwarded-For entries are believed (lib/auth/client-ip.ts); none by default.
  ORGTRAIL_TRUSTED_PROXIES: ipRanges.default([]),
  // Interactive reads (search, facets, histogram, pages) stop after this long instead of holding a connection.
  ORGTRAIL_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  // Connections in each of the app's two PostgreSQL pools (db/client.ts): interactive reads, and ingest/jobs.
  ORGTRAIL_DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  // How long a whole-hour/whole-day rollup read is shared between viewers of one organization (lib/events/rollup-cache.ts); 0: only while it runs.
  ORGTRAIL_ROLLUP_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  // "0" turns off Next's gzip of responses (next.config.ts), for a proxy in front that compresses: gzip is ~14 % of the server's CPU under viewers' load.
  ORGTRAIL_HTTP_COMPRESSION: z.enum(["0", "1"], { error: "ORGTRAIL_HTTP_COMPRESSION must be 0 or 1" }).default("1"),
  // Set by the launcher on each of ORGTRAIL_WEB_PROCESSES' processes (scripts/web-processes.ts): only process 0 runs the once-per-start work.
  ORGTRAIL_PROCESS_INDEX: z.coerce.number().int().min(0).max(63).default(0),
  // "0" keeps this instance from running background jobs (a separate worker process does).
  ORGTRAIL_WORKER: z.enum(["0", "1"], { error: "ORGTRAIL_WORKER must be 0 or 1" }).default("1"),
  // Single sign-on with OpenID Connect (lib/auth/oidc-provider.ts): the three together, or none.
  ORGTRAIL_OIDC_ISSUER: unsetIfEmpty(oidcIssuer),
  ORGTRAIL_OIDC_CLIENT_ID: unsetIfEmpty(z.string().max(1000)),
  ORGTRAIL_OIDC_CLIENT_SECRET: unsetIfEmpty(z.string().max(1000)),
  ORGTRAIL_OIDC_NAME: unsetIfEmpty(z.string().trim().min(1).max(60, "ORGTRAIL_OIDC_NAME must be at most 60 characters")).default("Single sign-on"),
  // Encrypts log-stream secrets at rest (lib/streams/secret-box.ts); unset, a key is derived from NEXTAUTH_SECRET.
  ORGTRAIL_STREAMS_KEY: unsetIfEmpty(streamsKey),
  // "1" lets log streams deliver over plain http and to private addresses: development and tests only.
  ORGTRAIL_STREAMS_ALLOW_PRIVATE: z.enum(["0", "1"], { error: "ORGTRAIL_STREAMS_ALLOW_PRIVATE must be 0 or 1" }).default("0"),
}).superRefine((values, context) => {
  const oidc = OIDC_REQUIRED.filter((key) => values[key] !== undefined);
  if (oidc.length > 0 && oidc.length < OIDC_REQUIRED.length) {
    const missing = OIDC_REQUIRED.filter((key) => values[key] === undefined);
    context.addIssue({ code: "custom", path: [missing[0]!], message: `single sign-on needs ${OIDC_REQUIRED.join(", ")} together: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set` });
  }
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Validates a set of environment variables; a bad value throws a message naming it. */
export function parseEnv(values: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Reads and validates the environment once; a bad value stops the app with a message naming it. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

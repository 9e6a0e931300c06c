import { z } from "zod";

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
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Reads and validates the environment once; a bad value stops the app with a message naming it. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

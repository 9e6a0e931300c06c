import "server-only";
import type { ZodType } from "zod";
import { AppError, zodIssues } from "@/lib/errors";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body, refusing other content types, bodies over the limit and malformed JSON. */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<{ value: unknown; raw: string }> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new AppError("unsupported_media_type", "Content-Type must be application/json");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) throw new AppError("invalid_json", "The request body is empty; send a JSON object");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  let raw: string;
  try {
    raw = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("invalid_json", "The request body is not valid UTF-8");
  }
  if (!raw.trim()) throw new AppError("invalid_json", "The request body is empty; send a JSON object");
  try {
    return { value: JSON.parse(raw), raw };
  } catch (error) {
    throw new AppError("invalid_json", `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** A JSON body that may be left out (an action with optional settings): no body reads as `{}`. */
export async function readOptionalJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const length = request.headers.get("content-length");
  if (!request.body || length === "0" || (length === null && !request.headers.get("content-type"))) return {};
  return (await readJsonBody(request, limit)).value;
}

/** A body checked against its schema: 422 naming each field at fault. */
export function parseBody<T>(schema: ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("validation_failed", "The request body is not valid", zodIssues(parsed.error));
  return parsed.data;
}

function tooLarge(limit: number) {
  return new AppError("payload_too_large", `The request body is larger than ${limit} bytes`);
}

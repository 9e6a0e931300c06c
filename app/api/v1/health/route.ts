import { otherMethods } from "@/lib/api/other-methods";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");

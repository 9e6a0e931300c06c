import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers";

/** Signs a request context in through next-auth's own flow (csrf, then the credentials callback), as a script would. */
export async function apiSignIn(request: APIRequestContext, email: string, password = DEMO_PASSWORD): Promise<APIResponse> {
  const csrf = await request.get("/api/auth/csrf");
  expect(csrf.status()).toBe(200);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  if (password === DEMO_PASSWORD) expect(session.user?.email, `signed in as ${email}`).toBe(email);
  return response;
}

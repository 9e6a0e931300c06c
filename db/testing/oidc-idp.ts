import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { callNextAuth, csrfToken, type CookieJar } from "./next-auth-driver";

/**
 * A real OpenID Connect provider for tests (the `oidc-provider` package, the
 * certified one), on a free loopback port: one confidential client, accounts
 * kept in memory, and a login step that signs in the account named by the
 * authorization request's `login_hint`, as the person at the keyboard would.
 */

export type IdpAccount = { sub: string; email?: string; email_verified?: unknown; name?: string } & Record<string, unknown>;

/** One request the provider answered: which endpoint with which parameters, and the client's credentials when it sent them (token endpoint). */
export type IdpRequest = { method: string; path: string; query: Record<string, string>; authorization: string | null; status: number };

export type TestIdp = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  requests: IdpRequest[];
  close(): Promise<void>;
};

/** Where next-auth's callback lives for the test driver's host (db/testing/next-auth-driver.ts). */
export const CALLBACK_URL = "http://localhost:3000/api/auth/callback/oidc";

export async function startTestIdp(): Promise<TestIdp> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "orgtrail-test";
  const clientSecret = randomBytes(24).toString("hex");
  const accounts = new Map<string, IdpAccount>();
  const requests: IdpRequest[] = [];
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [CALLBACK_URL], grant_types: ["authorization_code"], response_types: ["code"] }],
    jwks: { keys: [{ ...signingKey, kid: "test-signing-key", use: "sig", alg: "RS256" }] as never },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { methods: ["S256"], required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_context, sub) {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ ...account }) } : undefined;
    },
  });

  /** The login page: signs in the account the test chose and consents to what the client asked for. */
  async function interaction(request: IncomingMessage, response: ServerResponse) {
    const details = await provider.interactionDetails(request, response);
    const accountId = String(details.params.login_hint ?? "");
    if (!accounts.has(accountId)) {
      await provider.interactionFinished(request, response, { error: "access_denied", error_description: "unknown test account" });
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    await provider.interactionFinished(request, response, { login: { accountId }, consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: false });
  }

  const handle = provider.callback();
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const { pathname: path, searchParams } = new URL(request.url ?? "/", issuer);
    const seen = { method: request.method ?? "", path, query: Object.fromEntries(searchParams), authorization: request.headers.authorization ?? null };
    response.on("finish", () => requests.push({ ...seen, status: response.statusCode }));
    if (path.startsWith("/interaction/")) {
      interaction(request, response).catch((error: unknown) => {
        console.error("[test idp] the login step failed:", error);
        response.statusCode = 500;
        response.end();
      });
      return;
    }
    handle(request, response);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * The browser's part at the identity provider: follows its redirects from the
 * authorization URL, keeping its cookies, until it sends the browser back to
 * next-auth's callback; returns that URL.
 */
async function browseToCallback(authorizationUrl: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < 10; hop++) {
    if (url.href.startsWith(CALLBACK_URL)) return url;
    const answer = await fetch(url, { redirect: "manual", headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") } });
    for (const line of answer.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    const location = answer.headers.get("location");
    if (!location) throw new Error(`The identity provider answered ${answer.status} at ${url.pathname} without a redirect`);
    url = new URL(location, url);
  }
  throw new Error("The identity provider did not send the browser back");
}

/**
 * Signs in through the identity provider as the account `sub`, with
 * next-auth's real routes: POST /api/auth/signin/oidc, the provider's
 * authorization endpoint and login, then GET /api/auth/callback/oidc (token
 * exchange with the client secret, id_token validation, userinfo). Returns
 * where next-auth sent the browser at the end; the jar then holds the session
 * cookie if it worked.
 */
export async function signInWithOidc(jar: CookieJar, sub: string): Promise<URL> {
  const start = await callNextAuth(jar, "POST", ["signin", "oidc"], { csrfToken: await csrfToken(jar), callbackUrl: "http://localhost:3000/", json: "true" }, undefined, { login_hint: sub });
  const authorizationUrl = (start.body as { url?: string }).url;
  if (!authorizationUrl?.includes("/auth?")) throw new Error(`next-auth did not send the browser to the identity provider: ${authorizationUrl}`);
  const callback = await browseToCallback(authorizationUrl);
  const answer = await callNextAuth(jar, "GET", ["callback", "oidc"], undefined, undefined, Object.fromEntries(callback.searchParams));
  return new URL(String(answer.headers.location), "http://localhost:3000");
}

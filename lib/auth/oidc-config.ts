import "server-only";
import type { Profile } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { env } from "@/lib/env";

/** next-auth's provider id: the callback URL to register at the identity provider is `<NEXTAUTH_URL>/api/auth/callback/oidc`. */
export const OIDC_PROVIDER_ID = "oidc";

/** The identity provider's claims, as sent: lib/accounts/oidc-sign-in.ts reads the few it needs (never a role: roles come from our database). */
export interface OidcClaims extends Profile {
  sub: string;
  [claim: string]: unknown;
}

/** What next-auth hands the userinfo step after the code exchange: openid-client's TokenSet, its id_token already validated. */
type ValidatedTokens = { access_token?: string; claims(): OidcClaims & { iss: string } };

export type OidcSettings = { issuer: string; clientId: string; clientSecret: string; name: string };

/** Single sign-on as the environment configures it (lib/env.ts checks the three are set together), or null when it is off. */
export function oidcSettings(): OidcSettings | null {
  const { ORGTRAIL_OIDC_ISSUER: issuer, ORGTRAIL_OIDC_CLIENT_ID: clientId, ORGTRAIL_OIDC_CLIENT_SECRET: clientSecret, ORGTRAIL_OIDC_NAME: name } = env();
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer, clientId, clientSecret, name };
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

/**
 * next-auth's OpenID Connect provider: authorization code flow with PKCE,
 * state and nonce; openid-client validates the id_token (signature from the
 * issuer's JWKS, issuer, audience, nonce, expiry). The profile is the id_token's
 * claims, completed by the userinfo endpoint for the claims a conforming
 * provider sends only there (email, name): signed claims win, and openid-client
 * refuses a userinfo answer about another subject.
 */
export function oidcProvider(settings: OidcSettings): OAuthConfig<OidcClaims> {
  const issuer = withoutTrailingSlash(settings.issuer);
  return {
    id: OIDC_PROVIDER_ID,
    name: settings.name,
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    checks: ["pkce", "state", "nonce"],
    idToken: true,
    userinfo: {
      async request({ tokens: tokenSet, client }) {
        const tokens = tokenSet as unknown as ValidatedTokens;
        const claims = tokens.claims();
        // Discovery is not tied to the URL it was read from: the configured issuer is the one trusted.
        if (withoutTrailingSlash(claims.iss) !== issuer) throw new Error("The id_token was not issued by ORGTRAIL_OIDC_ISSUER");
        const userinfo = client.issuer.metadata.userinfo_endpoint && tokens.access_token ? await client.userinfo(tokenSet as Parameters<typeof client.userinfo>[0]) : {};
        return { ...userinfo, ...claims };
      },
    },
    // The signIn callback (lib/accounts/auth-options.ts) replaces the id with our user's; marked, the subject can never pass for one of our user ids.
    profile: (claims) => ({ id: `oidc:${claims.sub}`, email: typeof claims.email === "string" ? claims.email : null, name: typeof claims.name === "string" ? claims.name : null }),
  };
}

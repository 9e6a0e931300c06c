import "server-only";
import { randomBytes } from "node:crypto";
import type { AppError } from "@/lib/errors";
import { portalPath } from "./intents";

/** The refusals following a link can end in (lib/portal/follow.ts), by status; anything else is the service's failure. */
const STATUS: Partial<Record<AppError["code"], number>> = { not_found: 404, gone: 410, conflict: 409, forbidden: 403 };

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page a portal link that cannot be followed answers with: 404 (unknown),
 * 410 (used or expired), 409 (the person clashes with another member), 403 (a
 * post from another site) and 503 otherwise, with a sentence for the person. A whole page of its own, with no
 * script, so it renders the same at the top level and inside a vendor's iframe.
 */
export function portalErrorPage(error: AppError | null, frameAncestors: string): Response {
  const status = (error && STATUS[error.code]) ?? 503;
  const title = status === 410 ? "This link can no longer be used" : status === 404 ? "This link is not valid" : "The portal could not be opened";
  const message = status !== 503 && error ? error.message : "Something went wrong on our side; nothing was changed. Go back to the app you came from and try again.";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Orgtrail</title>
<style>body{font-family:system-ui,sans-serif;background:#fafafa;color:#18181b;margin:0;display:grid;place-items:center;min-height:100vh}main{max-width:28rem;padding:2rem;border:1px solid #e4e4e7;border-radius:.75rem;background:#fff}h1{font-size:1.125rem;margin:0 0 .5rem}p{margin:0;color:#52525b;line-height:1.5}</style></head>
<body><main data-testid="portal-error"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`;
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors ${frameAncestors}`,
    },
  });
}

/**
 * What GET /portal/{token} answers: a page that posts the link at once (a
 * browser runs its script; a link-preview bot that only fetches does not, so
 * it cannot spend the link), with a button for browsers that run no script.
 */
export function portalContinuePage(token: string, frameAncestors: string): Response {
  const nonce = randomBytes(16).toString("base64");
  const action = portalPath(encodeURIComponent(token));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="same-origin"><title>Opening the portal · Orgtrail</title>
<style>body{font-family:system-ui,sans-serif;background:#fafafa;color:#18181b;margin:0;display:grid;place-items:center;min-height:100vh}main{max-width:28rem;padding:2rem;border:1px solid #e4e4e7;border-radius:.75rem;background:#fff}h1{font-size:1.125rem;margin:0 0 .75rem}button{font:inherit;font-weight:600;color:#fff;background:#4f46e5;border:0;border-radius:.5rem;padding:.5rem 1rem;cursor:pointer}</style></head>
<body><main data-testid="portal-continue"><h1>Opening the portal…</h1><form id="continue" method="post" action="${escapeHtml(action)}"><button type="submit">Continue</button></form></main>
<script nonce="${nonce}">document.getElementById("continue").submit();</script></body></html>`;
  return new Response(html, {
    status: 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // Not no-referrer: with it the browser sends "Origin: null" on the post, which the same-origin check refuses. The token never leaves this origin.
      "Referrer-Policy": "same-origin",
      "X-Robots-Tag": "noindex",
      "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors ${frameAncestors}`,
    },
  });
}

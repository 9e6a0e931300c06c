import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host the browser addressed: the proxy's forwarded host if there is one, else Host. */
function requestHost(request: Request): string | null {
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("host") || null;
}

/**
 * Refuses a state-changing request that a browser sent from another site with
 * the session cookie (CSRF). Browsers mark such requests with Sec-Fetch-Site
 * and Origin; a client that sends neither is not a browser and cannot be made
 * to send someone else's cookie.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") throw crossSite();
  const origin = request.headers.get("origin");
  if (origin === null) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw crossSite();
  }
  if (originHost !== requestHost(request)) throw crossSite();
}

const crossSite = () =>
  new AppError("forbidden", "Cross-site requests cannot use the session cookie; call the API with an API key or from this site");

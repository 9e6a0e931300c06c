import path from "node:path";
import { pathToFileURL } from "node:url";

/** Appends the socket's peer to X-Forwarded-For before Next.js reads it (see the file for why). */
const FORWARDED_FOR_PEER = pathToFileURL(path.join(import.meta.dirname, "forwarded-for-peer.mjs")).href;

/**
 * NODE_OPTIONS for the Next server process. A larger young generation lets the
 * pages an export or an ingest batch holds for a few milliseconds die young
 * instead of being promoted and collected by full GCs (BENCHMARKS.md, export).
 * 32 MB: 64 MB gained a few percent more but grew RSS by 170 MB
 * on the first large export. A flag already set wins.
 * The preload makes the client IP trustworthy (lib/auth/client-ip.ts); every
 * way of starting the server (launcher, benchmarks) goes through here.
 */
export function serverNodeOptions(current = process.env.NODE_OPTIONS ?? ""): string {
  let options = current.includes("--max-semi-space-size") ? current : `${current} --max-semi-space-size=32`.trim();
  if (!options.includes("forwarded-for-peer.mjs")) options = `${options} --import=${JSON.stringify(FORWARDED_FOR_PEER)}`;
  return options;
}

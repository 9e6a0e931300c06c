/**
 * NODE_OPTIONS for the Next server process. A larger young generation lets the
 * pages an export or an ingest batch holds for a few milliseconds die young
 * instead of being promoted and collected by full GCs (BENCHMARKS.md, export).
 * 32 MB: 64 MB gained a few percent more but grew RSS by 170 MB
 * on the first large export. A flag already set wins.
 */
export function serverNodeOptions(current = process.env.NODE_OPTIONS ?? ""): string {
  return current.includes("--max-semi-space-size") ? current : `${current} --max-semi-space-size=32`.trim();
}

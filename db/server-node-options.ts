/**
 * NODE_OPTIONS for the Next server process. A larger young generation lets the
 * pages an export or an ingest batch holds for a few milliseconds die young
 * instead of being promoted and collected by full GCs: measured ~12% more
 * rows/s on a 1M-row CSV export (BENCHMARKS.md). A flag already set wins.
 */
export function serverNodeOptions(current = process.env.NODE_OPTIONS ?? ""): string {
  return current.includes("--max-semi-space-size") ? current : `${current} --max-semi-space-size=64`.trim();
}

/*
 * The viewer's time ranges: presets counted back from now, or "custom" with
 * from/to. Here rather than in the viewer so that what stores a view (saved
 * searches) checks the same ids the viewer reads from its URL.
 */

export const RANGE_PRESETS = [
  { id: "1h", label: "Last hour", short: "1h", ms: 3_600_000 },
  { id: "24h", label: "Last 24 hours", short: "24h", ms: 86_400_000 },
  { id: "7d", label: "Last 7 days", short: "7d", ms: 7 * 86_400_000 },
  { id: "30d", label: "Last 30 days", short: "30d", ms: 30 * 86_400_000 },
  { id: "90d", label: "Last 90 days", short: "90d", ms: 90 * 86_400_000 },
  { id: "all", label: "All time", short: "All", ms: null },
] as const;
export type RangePresetId = (typeof RANGE_PRESETS)[number]["id"];
export type RangeId = RangePresetId | "custom";
export const RANGE_IDS: readonly RangeId[] = [...RANGE_PRESETS.map((preset) => preset.id), "custom"];
export const DEFAULT_RANGE: RangePresetId = "30d";

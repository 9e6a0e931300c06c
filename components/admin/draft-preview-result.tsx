import type { DraftPreview } from "@/lib/schemas/draft-preview";

const RULES: Record<string, string> = {
  required: "missing",
  type: "wrong kind of value",
  additionalProperties: "key not declared",
  target_types: "target type not allowed",
  minProperties: "too few keys",
  maxProperties: "too many keys",
};

/** The answer of the draft check: counts only, per field, and which value rules it did not run. */
export function DraftPreviewResult({ preview }: { preview: DraftPreview }) {
  const { checked, failed, minEvents, fields, unchecked } = preview;
  return (
    <div data-testid="schema-preview" className="space-y-3 text-sm">
      {checked === 0 ? (
        <p className="text-zinc-500">No events of this action yet.</p>
      ) : failed === null ? (
        <p className="text-zinc-500">
          Only {checked} recent {checked === 1 ? "event" : "events"}: counts are shown from {minEvents} events on, so that they never describe one customer&apos;s event.
        </p>
      ) : failed === 0 ? (
        <p className="text-emerald-700 dark:text-emerald-400">All {checked} recent events pass.</p>
      ) : (
        <div>
          <p className="font-medium text-amber-700 dark:text-amber-400">
            {failed} of {checked} recent events would fail.
          </p>
          <table className="mt-2 w-full text-xs">
            <thead className="text-left text-zinc-500">
              <tr>
                <th className="py-1 font-medium">Field</th>
                <th className="py-1 font-medium">Rule</th>
                <th className="py-1 text-right font-medium">Events</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {fields.map((f) => (
                <tr key={`${f.field} ${f.rule}`}>
                  <td className="py-1 pr-2 font-mono break-all">{f.field}</td>
                  <td className="py-1 pr-2 text-zinc-600 dark:text-zinc-400">{RULES[f.rule] ?? f.rule}</td>
                  <td className="py-1 text-right font-medium tabular-nums">{f.events}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {unchecked.length > 0 ? (
        <div className="rounded-md bg-zinc-50 px-2 py-1.5 text-xs text-zinc-600 dark:bg-zinc-800/60 dark:text-zinc-400">
          <p>Not checked here: rules that test values, which vendor staff may not read in customers&apos; events. They apply to every event sent once this version is saved.</p>
          <ul className="mt-1 space-y-0.5 font-mono">
            {unchecked.map((rule) => (
              <li key={rule}>{rule}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

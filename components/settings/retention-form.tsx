"use client";

import { useState, useTransition, type FormEvent } from "react";
import { setRetentionAction } from "@/app/orgs/[org]/settings/retention/actions";
import { FormError } from "@/components/ui/form-error";
import type { ActionError } from "@/lib/access/action-result";
import { inputClass } from "@/components/ui/styles";
import { SaveRow } from "@/components/ui/save-row";

const PRESETS = [30, 90, 180, 365, 730, 1825, 3650];

const describe = (days: number) => (days % 365 === 0 ? `${days / 365} year${days === 365 ? "" : "s"}` : `${days} days`);

export function RetentionForm({ org, days, bounds }: { org: string; days: number; bounds: { min: number; max: number } }) {
  const [value, setValue] = useState(String(days));
  const [error, setError] = useState<ActionError | null>(null);
  const [saved, setSaved] = useState(false);
  const [pending, startTransition] = useTransition();
  const presets = PRESETS.filter((p) => p >= bounds.min && p <= bounds.max);
  const numeric = Number(value);
  const changed = value !== "" && numeric !== days;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await setRetentionAction(org, numeric);
      setError(result.ok ? null : result.error);
      setSaved(result.ok);
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4 px-5 py-5" noValidate>
      <div className="flex flex-wrap gap-2" role="group" aria-label="Common periods">
        {presets.map((preset) => (
          <button
            key={preset}
            type="button"
            onClick={() => {
              setValue(String(preset));
              setSaved(false);
            }}
            className={`rounded-full border px-3 py-1 text-sm ${
              numeric === preset ? "border-indigo-500 bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300" : "border-zinc-300 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
            }`}
          >
            {describe(preset)}
          </button>
        ))}
      </div>
      <label className="block max-w-xs text-sm font-medium">
        Keep events for
        <div className="mt-1 flex items-center gap-2">
          <input
            name="days"
            type="number"
            inputMode="numeric"
            min={bounds.min}
            max={bounds.max}
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setSaved(false);
            }}
            className={`${inputClass} w-32 tabular-nums`}
          />
          <span className="text-sm font-normal text-zinc-500">days</span>
        </div>
        <span className="mt-1 block text-xs font-normal text-zinc-500">
          Between {bounds.min.toLocaleString("en-US")} and {bounds.max.toLocaleString("en-US")} days, as your vendor allows.
        </span>
      </label>
      {changed && numeric < days ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Shortening retention deletes events older than {describe(numeric)} at the next daily purge. Deleted events cannot be recovered.
        </p>
      ) : null}
      <FormError error={error} />
      <SaveRow pending={pending} saved={saved} disabled={!changed} />
    </form>
  );
}

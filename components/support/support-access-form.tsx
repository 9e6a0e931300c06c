"use client";

import { useActionState, useState } from "react";
import { LockOpen } from "lucide-react";
import { FormError } from "@/components/ui/form-error";
import { openSupportAccessAction, type SupportFormState } from "@/lib/support/support-actions";

/** The bounds of a support request, from lib/access/support.ts (server-only, so handed down by the page). */
export type SupportFormLimits = { minLength: number; maxLength: number; durations: readonly number[]; defaultMinutes: number };

type Props = { org: string; orgName: string; limits: SupportFormLimits };

const durationLabel = (minutes: number): string => (minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? "" : "s"}` : `${minutes} minutes`);

/** Asks for read-only access to a customer's log: a reason the customer will read, and how long. Success opens the log. */
export function SupportAccessForm({ org, orgName, limits }: Props) {
  const { minLength, maxLength, durations, defaultMinutes } = limits;
  const [state, action, pending] = useActionState<SupportFormState, FormData>(openSupportAccessAction, { error: null, reason: "", minutes: defaultMinutes });
  const [reason, setReason] = useState(state.reason);
  const [minutes, setMinutes] = useState(durations.includes(state.minutes) ? state.minutes : defaultMinutes);
  const length = reason.trim().length;
  return (
    <form action={action} className="space-y-4" data-testid="support-access-form" noValidate>
      <input type="hidden" name="org" value={org} />
      <div className="space-y-1.5">
        <label className="block text-sm font-medium" htmlFor={`support-reason-${org}`}>
          Reason for access
        </label>
        <textarea
          id={`support-reason-${org}`}
          name="reason"
          required
          minLength={minLength}
          maxLength={maxLength}
          rows={4}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. Ticket #4411: customer reports missing sign-in events since Monday"
          aria-describedby={`support-reason-help-${org}`}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950"
        />
        <p id={`support-reason-help-${org}`} className="flex justify-between gap-4 text-xs text-zinc-500 dark:text-zinc-400">
          <span>{orgName} will see this reason, your name and email in their audit log.</span>
          <span className={length < minLength ? "text-amber-700 dark:text-amber-400" : undefined}>
            {length}/{maxLength}
          </span>
        </p>
      </div>
      <fieldset>
        <legend className="text-sm font-medium">Duration</legend>
        <div className="mt-1.5 inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700">
          {durations.map((option) => (
            <label
              key={option}
              className="cursor-pointer rounded px-3 py-1 text-sm text-zinc-600 has-[:checked]:bg-indigo-600 has-[:checked]:font-medium has-[:checked]:text-white has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-500 dark:text-zinc-300"
            >
              <input type="radio" name="minutes" value={option} checked={minutes === option} onChange={() => setMinutes(option)} className="sr-only" />
              {option < 60 ? `${option} min` : `${option / 60} h`}
            </label>
          ))}
        </div>
        <p className="mt-1.5 text-xs text-zinc-500 dark:text-zinc-400">Access ends by itself after this time; you can end it sooner.</p>
      </fieldset>
      <FormError error={state.error} testId="support-error" />
      <button
        type="submit"
        disabled={pending}
        className="inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white shadow-xs hover:bg-indigo-500 disabled:opacity-60"
      >
        <LockOpen className="size-4" aria-hidden />
        {pending ? "Opening…" : `Open read-only access for ${durationLabel(minutes)}`}
      </button>
    </form>
  );
}

"use client";

import { useActionState, useState } from "react";
import { LockOpen } from "lucide-react";
import { openSupportAccessAction, type SupportFormState } from "@/lib/access/support-actions";

type Props = { org: string; orgName: string; minLength: number; maxLength: number; minutes: number };

export function SupportAccessForm({ org, orgName, minLength, maxLength, minutes }: Props) {
  const [state, action, pending] = useActionState<SupportFormState, FormData>(openSupportAccessAction, { error: null, reason: "" });
  const [reason, setReason] = useState(state.reason);
  const length = reason.trim().length;
  return (
    <form action={action} className="space-y-4" data-testid="support-access-form" noValidate>
      <input type="hidden" name="org" value={org} />
      <label className="block text-sm font-medium" htmlFor="support-reason">
        Reason for access
      </label>
      <textarea
        id="support-reason"
        name="reason"
        required
        minLength={minLength}
        maxLength={maxLength}
        rows={4}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder="e.g. Ticket #4411: customer reports missing sign-in events since Monday"
        aria-describedby="support-reason-help"
        className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-950"
      />
      <p id="support-reason-help" className="flex justify-between text-xs text-zinc-500 dark:text-zinc-400">
        <span>{orgName} will see this reason, your name and email in their audit log.</span>
        <span className={length < minLength ? "text-amber-600 dark:text-amber-400" : undefined}>
          {length}/{maxLength}
        </span>
      </p>
      {state.error ? (
        <p role="alert" data-testid="support-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
          {state.error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white shadow-xs hover:bg-indigo-500 disabled:opacity-60"
      >
        <LockOpen className="size-4" aria-hidden />
        {pending ? "Opening…" : `Open read-only access for ${minutes} minutes`}
      </button>
    </form>
  );
}

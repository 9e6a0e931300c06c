"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setRequireSchemaAction } from "@/app/admin/actions";

/** The ingest.require_schema setting as a switch. */
export function RequireSchemaToggle({ required }: { required: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <div className="flex items-start justify-between gap-6 rounded-lg border border-zinc-200 px-4 py-3 dark:border-zinc-800">
      <div>
        <p id="require-schema-label" className="text-sm font-medium">
          Refuse events for actions without a schema
        </p>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {required ? "On: ingest answers 422 for an action that has no schema." : "Off: events for unknown actions are accepted and listed below, ready to get a schema."}
        </p>
        {error ? <p className="mt-1 text-xs text-red-600">{error}</p> : null}
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={required}
        aria-labelledby="require-schema-label"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await setRequireSchemaAction(!required);
            if (!result.ok) return setError(result.error.message);
            setError(null);
            router.refresh();
          })
        }
        className={`relative mt-0.5 inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:opacity-60 ${required ? "bg-indigo-600" : "bg-zinc-300 dark:bg-zinc-700"}`}
      >
        <span className={`inline-block size-5 rounded-full bg-white shadow transition-transform ${required ? "translate-x-5.5" : "translate-x-0.5"}`} />
      </button>
    </div>
  );
}

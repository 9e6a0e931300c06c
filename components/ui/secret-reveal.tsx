"use client";

import { TriangleAlert } from "lucide-react";
import type { ReactNode } from "react";
import { SecretField } from "./secret-field";
import { primaryButton } from "./styles";

/**
 * A secret shown once (a key, an invite or set-password link): why it will not
 * be shown again, the value with its copy button, and the button that closes.
 */
export function SecretReveal({
  value,
  label,
  testId,
  notice,
  doneLabel = "Done",
  onDone,
}: {
  value: string;
  label: string;
  testId: string;
  /** What to do with it and that it is shown only now. */
  notice: ReactNode;
  doneLabel?: string;
  onDone: () => void;
}) {
  return (
    <div className="space-y-4">
      <p className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>{notice}</span>
      </p>
      <SecretField value={value} label={label} testId={testId} />
      <div className="flex justify-end">
        <button type="button" className={primaryButton} onClick={onDone}>
          {doneLabel}
        </button>
      </div>
    </div>
  );
}

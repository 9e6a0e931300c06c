"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { inputClass, secondaryButton } from "./styles";

/** A value shown once (a key's secret, an invite link): read-only, selected on focus, with a copy button. */
export function SecretField({ value, label, testId }: { value: string; label: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex items-center gap-2">
      <input readOnly value={value} aria-label={label} data-testid={testId} className={`${inputClass} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
      <button
        type="button"
        aria-label={`Copy ${label}`}
        className={secondaryButton}
        onClick={async () => {
          await navigator.clipboard?.writeText(value).catch(() => {});
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        }}
      >
        {copied ? <Check className="size-4 text-emerald-600" aria-hidden /> : <Copy className="size-4" aria-hidden />}
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

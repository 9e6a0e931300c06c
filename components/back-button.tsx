"use client";

import { ArrowLeft } from "lucide-react";

/** Back to the page the person came from. */
export function BackButton({ className }: { className: string }) {
  return (
    <button type="button" onClick={() => window.history.back()} className={className}>
      <ArrowLeft className="size-4" aria-hidden /> Go back
    </button>
  );
}

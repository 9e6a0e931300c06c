"use client";

import { RotateCw, TriangleAlert } from "lucide-react";
import { secondaryAction, StatusPage } from "@/components/status-page";

/** The audit log failed to render: the organization's header stays, with a way to try again. */
export default function AuditLogError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <StatusPage
      icon={TriangleAlert}
      title="The audit log could not be shown"
      actions={
        <button type="button" onClick={reset} className={secondaryAction}>
          <RotateCw className="size-4" aria-hidden /> Try again
        </button>
      }
    >
      <p>Something failed while loading this page. Try again; if it keeps failing, tell your administrator.</p>
      {error.digest ? (
        <p className="mt-2">
          Reference: <code className="font-mono text-zinc-800 dark:text-zinc-200">{error.digest}</code>
        </p>
      ) : null}
    </StatusPage>
  );
}

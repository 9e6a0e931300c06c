"use client";

import Link from "next/link";
import { RotateCw, TriangleAlert } from "lucide-react";
import { primaryAction, secondaryAction, StatusPage } from "@/components/status-page";

/** What a page that failed on the server or in the browser shows: no details, a reference to quote, and ways on. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <StatusPage
      topBar
      icon={TriangleAlert}
      title="Something went wrong"
      actions={
        <>
          <button type="button" onClick={reset} className={secondaryAction}>
            <RotateCw className="size-4" aria-hidden /> Try again
          </button>
          <Link href="/" className={primaryAction}>
            Go to your audit log
          </Link>
        </>
      }
    >
      <p>This page could not be shown. Trying again often helps; if it keeps failing, tell your administrator.</p>
      {error.digest ? (
        <p className="mt-2">
          Reference: <code className="font-mono text-zinc-800 dark:text-zinc-200">{error.digest}</code>
        </p>
      ) : null}
    </StatusPage>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { SearchX } from "lucide-react";
import { BackButton } from "@/components/back-button";
import { primaryAction, secondaryAction, StatusPage } from "@/components/status-page";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <StatusPage
      topBar
      icon={SearchX}
      code="404"
      title="Page not found"
      actions={
        <>
          <BackButton className={secondaryAction} />
          <Link href="/" className={primaryAction}>
            Go to your audit log
          </Link>
        </>
      }
    >
      There is nothing at this address, or it belongs to an organization you are not a member of. Check the link, or start again from your audit log.
    </StatusPage>
  );
}

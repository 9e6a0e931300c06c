import { SearchX } from "lucide-react";
import { BackButton } from "@/components/back-button";
import { AuditLogLink } from "@/components/audit-log/audit-log-link";
import { primaryAction, secondaryAction, StatusPage } from "@/components/status-page";

/** Inside an organization the app header stays: a missing page (or one this role may not open) offers the way back to the log. */
export default function OrgNotFound() {
  return (
    <StatusPage
      icon={SearchX}
      code="404"
      title="Page not found"
      actions={
        <>
          <BackButton className={secondaryAction} />
          <AuditLogLink className={primaryAction}>Back to the audit log</AuditLogLink>
        </>
      }
    >
      There is nothing at this address in this organization, or your role does not open it.
    </StatusPage>
  );
}

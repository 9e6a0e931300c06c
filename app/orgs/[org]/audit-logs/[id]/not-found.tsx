import { FileQuestion } from "lucide-react";
import { BackButton } from "@/components/back-button";
import { AuditLogLink } from "@/components/audit-log/audit-log-link";
import { primaryAction, secondaryAction, StatusPage } from "@/components/status-page";

/** An event id that this organization's log does not hold, or not for this caller: the same answer for both. */
export default function EventNotFound() {
  return (
    <StatusPage
      icon={FileQuestion}
      code="404"
      title="Event not found"
      actions={
        <>
          <BackButton className={secondaryAction} />
          <AuditLogLink className={primaryAction}>Back to the audit log</AuditLogLink>
        </>
      }
    >
      No event with this id is in this organization&apos;s log, or it is outside what you may see. The link may be mistyped, or retention has removed the event.
    </StatusPage>
  );
}

"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import type { ReactNode } from "react";

/** A link to the audit log of the organization in the URL (not-found pages get no params of their own). */
export function AuditLogLink({ className, children }: { className: string; children: ReactNode }) {
  const { org } = useParams<{ org?: string }>();
  return (
    <Link href={org ? `/orgs/${encodeURIComponent(org)}/audit-logs` : "/"} className={className}>
      {children}
    </Link>
  );
}

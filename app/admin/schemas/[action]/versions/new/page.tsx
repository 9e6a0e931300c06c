import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SchemaEditor } from "@/components/admin/schema-editor";
import { PageHeader } from "@/components/admin/ui";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";
import { versionsOf } from "@/lib/schemas/schema-store";

export const metadata: Metadata = { title: "New schema version" };

export default async function NewVersionPage({ params }: { params: Promise<{ action: string }> }) {
  await requireVendorAdmin("schemas.manage");
  const action = decodeURIComponent((await params).action);
  const latest = (await versionsOf(action)).at(-1);
  if (!latest || action.startsWith("orgtrail.")) notFound();
  return (
    <>
      <PageHeader back={{ href: `/admin/schemas/${encodeURIComponent(action)}`, label: action }} title={`New version of ${action}`} description={`Starts from version ${latest.version}. Saving creates version ${latest.version + 1}; events without a version are then checked against it.`} />
      <SchemaEditor action={action} initial={latest} basedOn={latest.version} />
    </>
  );
}

import type { Metadata } from "next";
import { SchemaEditor, type SchemaDraft } from "@/components/admin/schema-editor";
import { PageHeader } from "@/components/admin/ui";
import { requireVendorAdmin } from "@/lib/access/vendor-permissions";
import { unschemaedActions } from "@/lib/schemas/action-catalog";
import { fieldsFromSample, fieldsToJsonSchema } from "@/lib/schemas/form-fields";

export const metadata: Metadata = { title: "New action" };

export default async function NewSchemaPage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  await requireVendorAdmin("schemas.manage");
  const from = (await searchParams).from;
  const seen = from ? (await unschemaedActions()).find((a) => a.action === from) : undefined;
  const sample = seen?.sample;
  const metadataFields = fieldsFromSample(sample?.metadata);
  const initial: SchemaDraft & { action?: string } = {
    action: seen?.action ?? "",
    target_types: [...new Set((sample?.targets ?? []).map((t) => String(t.type ?? "")).filter(Boolean))],
    actor_schema: null,
    target_schema: null,
    metadata_schema: metadataFields.length > 0 ? fieldsToJsonSchema({ fields: metadataFields, allowOtherKeys: true }) : null,
    display: {},
  };
  return (
    <>
      <PageHeader back={{ href: "/admin/schemas", label: "Event schemas" }} title="New action" description={seen ? `Started from the latest ${seen.action} event seen at ingest: its target types and metadata keys are filled in. Adjust, check recent events, then create.` : "Version 1 of a new action's schema."} />
      <SchemaEditor action={null} initial={initial} basedOn={null} />
    </>
  );
}

import "server-only";
import type { SchemaDisplay } from "@/db/schema";
import { allSchemas } from "@/lib/events/schema-check/registry";

/**
 * How the viewer shows each action: the display settings of its latest schema
 * version (label, severity, metadata keys that become columns), and every
 * metadata key some schema makes a column.
 */
export async function schemaDisplays(): Promise<{ byAction: Record<string, SchemaDisplay>; metadataKeys: string[] }> {
  const byAction: Record<string, SchemaDisplay> = {};
  const latest = new Map<string, number>();
  for (const schema of await allSchemas()) {
    if ((latest.get(schema.action) ?? 0) > schema.version) continue;
    latest.set(schema.action, schema.version);
    byAction[schema.action] = schema.display;
  }
  const metadataKeys = [...new Set(Object.values(byAction).flatMap((d) => d.columns ?? []))].sort();
  return { byAction, metadataKeys };
}

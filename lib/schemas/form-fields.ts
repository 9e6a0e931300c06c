/**
 * The console's form view of a JSON Schema for metadata: a flat list of keys,
 * each with a type and whether it is required. Shared by the server and the
 * form, so it has no server-only code.
 */
export const FIELD_TYPES = ["string", "number", "integer", "boolean"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type SchemaField = { key: string; type: FieldType; required: boolean };
export type FieldsForm = { fields: SchemaField[]; allowOtherKeys: boolean };

export const METADATA_KEY = /^[A-Za-z0-9_-]{1,40}$/;

/** The JSON Schema a form describes; an empty form that allows any key means "no schema". */
export function fieldsToJsonSchema(form: FieldsForm): Record<string, unknown> | null {
  if (form.fields.length === 0 && form.allowOtherKeys) return null;
  const required = form.fields.filter((f) => f.required).map((f) => f.key);
  return {
    type: "object",
    properties: Object.fromEntries(form.fields.map((f) => [f.key, { type: f.type }])),
    ...(required.length > 0 ? { required } : {}),
    ...(form.allowOtherKeys ? {} : { additionalProperties: false }),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The form for a JSON Schema, or null when the schema says more than the form can show (use the raw editor). */
export function jsonSchemaToFields(schema: Record<string, unknown> | null | undefined): FieldsForm | null {
  if (!schema) return { fields: [], allowOtherKeys: true };
  const known = new Set(["type", "properties", "required", "additionalProperties"]);
  if (schema.type !== "object" || Object.keys(schema).some((k) => !known.has(k))) return null;
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  if (!isObject(properties) || !Array.isArray(required)) return null;
  if (schema.additionalProperties !== undefined && typeof schema.additionalProperties !== "boolean") return null;
  const fields: SchemaField[] = [];
  for (const [key, property] of Object.entries(properties)) {
    if (!isObject(property) || Object.keys(property).length !== 1 || !FIELD_TYPES.includes(property.type as FieldType)) return null;
    fields.push({ key, type: property.type as FieldType, required: required.includes(key) });
  }
  if (required.some((key) => typeof key !== "string" || !(key in properties))) return null;
  return { fields, allowOtherKeys: schema.additionalProperties !== false };
}

/** A first guess at the fields of a sample event's metadata: every key seen, typed by its value, none required. */
export function fieldsFromSample(metadata: Record<string, unknown> | null | undefined): SchemaField[] {
  return Object.entries(metadata ?? {})
    .filter(([key]) => METADATA_KEY.test(key))
    .map(([key, value]) => ({
      key,
      type: typeof value === "boolean" ? "boolean" : typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : "string",
      required: false,
    }));
}

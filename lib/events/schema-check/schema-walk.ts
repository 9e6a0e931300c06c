/** Walking a JSON Schema's own keywords (never its data keywords such as enum, const or default). */

export const isSchemaObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Keywords whose value is one schema, a list of schemas, or a map of names to schemas (draft 2020-12 and earlier; `items` may be one or a list). */
const SINGLE = new Set(["additionalProperties", "additionalItems", "items", "contains", "propertyNames", "not", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems"]);
const LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems", "items"]);
const MAPS = new Set(["properties", "patternProperties", "dependentSchemas", "dependencies", "definitions", "$defs"]);

/**
 * A copy of a schema object with each direct subschema replaced by `map`'s
 * result, given the keyword that holds it and its place below this schema
 * (`["properties", "code"]`, `["anyOf", 1]`, `["not"]`).
 */
export function mapSubschemas(schema: Record<string, unknown>, map: (subschema: unknown, at: PropertyKey[], keyword: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (LISTS.has(keyword) && Array.isArray(value)) out[keyword] = value.map((item, i) => map(item, [keyword, i], keyword));
    else if (SINGLE.has(keyword) && !Array.isArray(value)) out[keyword] = map(value, [keyword], keyword);
    // `dependencies` maps a name to a schema or to a list of names; only the schemas are walked.
    else if (MAPS.has(keyword) && isSchemaObject(value)) out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isSchemaObject(sub) || typeof sub === "boolean" ? map(sub, [keyword, name], keyword) : sub]));
    else out[keyword] = value;
  }
  return out;
}

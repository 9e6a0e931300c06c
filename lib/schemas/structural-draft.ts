import "server-only";
import type { ErrorObject } from "ajv";
import { isSchemaObject, mapSubschemas } from "@/lib/events/schema-check/schema-walk";

/**
 * Keywords that test a value rather than the event's shape. The draft check
 * leaves them out (see draft-preview.ts): run over customers' events, each is
 * a question about their contents (`pattern: "^a"` asks whose email starts with a).
 */
const VALUE_KEYWORDS = new Set([
  "pattern",
  "format",
  "enum",
  "const",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minContains",
  "maxContains",
  "contentEncoding",
  "contentMediaType",
]);

/**
 * Keywords whose outcome is not monotone in their parts: with a value rule
 * taken out of it, `not` would refuse events the full rule accepts (so would
 * oneOf, and an `if` that picks another branch), so such a keyword is left out
 * whole when a part of it lost a rule.
 */
const NON_MONOTONE: Record<string, string[]> = { not: ["not"], oneOf: ["oneOf"], if: ["if", "then", "else"] };

/** The field a place in a schema stands for: `metadata.code` for `properties/code` under metadata. */
function childField(field: string, at: PropertyKey[]): string {
  if (at[0] === "properties") return `${field}.${String(at[1])}`;
  if (at[0] === "patternProperties") return `${field}./${String(at[1])}/`;
  return field;
}

/**
 * The part of a JSON Schema that tests only shape (keys, kinds of values,
 * target types), and a `field (keyword)` line for each rule left out. Rules
 * left out only ever make the draft accept more, never refuse what it would accept.
 */
export function structuralSchema(schema: unknown, field: string, leftOut: Set<string>): unknown {
  if (!isSchemaObject(schema)) return schema;
  const kept: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.has(keyword)) leftOut.add(`${field} (${keyword})`);
    else kept[keyword] = value;
  }
  const lost = new Set<string>();
  const out = mapSubschemas(kept, (subschema, at, keyword) => {
    const before = leftOut.size;
    const structural = structuralSchema(subschema, childField(field, at), leftOut);
    if (leftOut.size > before) lost.add(keyword);
    return structural;
  });
  for (const keyword of lost) {
    for (const dropped of NON_MONOTONE[keyword] ?? []) {
      if (!(dropped in out)) continue;
      delete out[dropped];
      leftOut.add(`${field} (${dropped})`);
    }
  }
  return out;
}

/** Decodes one JSON Pointer segment (ajv's schemaPath is a URI fragment of JSON Pointer). */
const pointerSegment = (segment: string) => decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");

/**
 * Where an error of a draft stands, named from the schema only (the data's own
 * keys and values never appear): `metadata.reason` for `#/required` with the
 * draft's required key `reason`, `metadata.count` for `#/properties/count/type`.
 */
export function failingField(field: string, error: ErrorObject): { field: string; rule: string } {
  const segments = error.schemaPath.replace(/^#\/?/, "").split("/").filter(Boolean).map(pointerSegment);
  segments.pop();
  let at = field;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ((segment === "properties" || segment === "patternProperties") && i + 1 < segments.length) at = childField(at, [segment, segments[++i]!]);
  }
  // The missing key comes from the draft's own `required` list.
  if (error.keyword === "required" || error.keyword === "dependentRequired") at = childField(at, ["properties", String(error.params.missingProperty)]);
  return { field: at, rule: error.keyword };
}

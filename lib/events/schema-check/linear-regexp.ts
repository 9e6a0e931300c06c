import "server-only";
import { Ajv, type CodeOptions } from "ajv";
import { RE2JS } from "re2js";
import { formatPath, type ErrorIssue } from "@/lib/errors";
import { isSchemaObject, mapSubschemas } from "./schema-walk";

type RegExpEngine = NonNullable<CodeOptions["regExp"]>;

/**
 * JSON Schema patterns run on RE2 (re2js, a pure JavaScript port), whose
 * matching time grows linearly with the input whatever the pattern: with
 * JavaScript's backtracking engine, a schema's `^(a+)+$` let any ingest key
 * stall the process for seconds with one short value. RE2 has no
 * backreferences or lookaround; schemas that use them are refused when created
 * (patternProblems). Throws on a pattern RE2 cannot compile.
 */
function compileLinear(pattern: string): RE2JS {
  return RE2JS.compile(RE2JS.translateRegExp(pattern));
}

/** Why RE2 cannot run a pattern, or null when it can. */
function linearProblem(pattern: string): string | null {
  try {
    compileLinear(pattern);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

// ajv keys compiled patterns by toString(), so each must name its own pattern.
const matcher = (pattern: string, test: (value: string) => boolean) => ({ test, toString: () => `/${pattern}/` });

/** ajv's `code.regExp` for schemas being created or previewed: RE2, throwing on what it cannot compile. */
const linearRegExp: RegExpEngine = Object.assign((pattern: string) => {
  const re = compileLinear(pattern);
  return matcher(pattern, (value) => re.test(value));
}, { code: "linearRegExp" });

/**
 * ajv's `code.regExp` for stored versions: RE2 too. A version stored before
 * patterns ran on RE2 may hold one RE2 cannot compile; its values fail that
 * pattern (refused, never run on a backtracking engine), and every other
 * schema still loads.
 */
const storedRegExp: RegExpEngine = Object.assign((pattern: string) => {
  try {
    return linearRegExp(pattern, "u");
  } catch {
    console.warn(`[schemas] a stored schema's pattern cannot run on RE2, so values never match it; create a new version without it: ${JSON.stringify(pattern)}`);
    return matcher(pattern, () => false);
  }
}, { code: "storedRegExp" });

const options = { allErrors: true, strict: false } as const;

/** A compiler for new or draft schemas: every pattern on RE2. */
export const newSchemaCompiler = () => new Ajv({ ...options, code: { regExp: linearRegExp } });
/** The compiler of stored versions (see storedRegExp). */
export const storedSchemaCompiler = () => new Ajv({ ...options, code: { regExp: storedRegExp } });

/**
 * Every regular expression of a JSON Schema that RE2 cannot run (each
 * `pattern`, each `patternProperties` name), as issues naming its place, e.g.
 * `metadata_schema.properties.code.pattern`. Only schema keywords are walked,
 * so a `pattern` inside `enum`, `const` or `default` data is not mistaken for one.
 */
export function patternProblems(schema: unknown, path: PropertyKey[]): ErrorIssue[] {
  if (!isSchemaObject(schema)) return [];
  const issues: ErrorIssue[] = [];
  const check = (pattern: string, at: PropertyKey[]) => {
    const why = linearProblem(pattern);
    if (why) issues.push({ path: formatPath(at), message: `pattern ${JSON.stringify(pattern)} cannot be used: patterns run on RE2, a linear-time engine without backreferences or lookaround (${why})` });
  };
  if (typeof schema.pattern === "string") check(schema.pattern, [...path, "pattern"]);
  if (isSchemaObject(schema.patternProperties)) for (const name of Object.keys(schema.patternProperties)) check(name, [...path, "patternProperties", name]);
  mapSubschemas(schema, (subschema, at) => {
    issues.push(...patternProblems(subschema, [...path, ...at]));
    return subschema;
  });
  return issues;
}

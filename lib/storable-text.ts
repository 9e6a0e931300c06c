/*
 * Text PostgreSQL can hold: its text and jsonb types refuse U+0000, and a lone
 * UTF-16 surrogate has no UTF-8 form. Checked where input arrives, so such a
 * value is a field-named error instead of a database error.
 */

// Lone surrogates, written as a regular expression rather than String#isWellFormed: browsers run this too.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const STORABLE_TEXT_MESSAGE = "must not contain NUL characters or unpaired surrogates";

export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** Whether every string in a JSON value (keys included) is storable text. */
export function isStorableJson(value: unknown): boolean {
  if (typeof value === "string") return isStorableText(value);
  if (Array.isArray(value)) return value.every(isStorableJson);
  if (value !== null && typeof value === "object") return Object.entries(value).every(([key, item]) => isStorableText(key) && isStorableJson(item));
  return true;
}

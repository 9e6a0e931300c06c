/**
 * The shape of a JSON value: the same keys and kinds of values, with every
 * value replaced by a stand-in of its kind ("" for a string, 0 for an integer,
 * 0.5 for another number, false for a boolean).
 */
export type Shape = string | number | boolean | null | Shape[] | { [key: string]: Shape };

export function shapeOf(value: unknown): Shape {
  if (typeof value === "string") return "";
  if (typeof value === "number") return Number.isInteger(value) ? 0 : 0.5;
  if (typeof value === "boolean") return false;
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shapeOf(item)]));
  return null;
}

import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { WorkosList } from "./route";

/** WorkOS's list parameters: up to `limit` items after or before a cursor (an item's id), in `order`. */
export const listOptions = z.object({
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 to 100").max(100, "must be 1 to 100").default(10),
  after: z.string().max(300).optional(),
  before: z.string().max(300).optional(),
  order: z.enum(["asc", "desc"], { error: 'must be "asc" or "desc"' }).default("desc"),
});
export type ListOptions = z.output<typeof listOptions>;

/**
 * One page of a list held in ascending order. `after` continues in the list's
 * order, `before` goes back; the cursors name the page's edge items when more
 * lie beyond them. A cursor that names no item is a 400.
 */
export function pageOf<T>(ascending: readonly T[], idOf: (item: T) => string, options: ListOptions): WorkosList<T> {
  const items = options.order === "asc" ? [...ascending] : [...ascending].reverse();
  const index = (cursor: "after" | "before") => {
    const found = items.findIndex((item) => idOf(item) === options[cursor]);
    if (found < 0) throw new AppError("invalid_query", `${cursor} names no item of this list`, [{ path: cursor, message: "names no item of this list" }]);
    return found;
  };
  const start = options.after !== undefined ? index("after") + 1 : 0;
  const end = options.before !== undefined ? index("before") : items.length;
  const window = items.slice(start, end);
  const data = options.before !== undefined && options.after === undefined ? window.slice(-options.limit) : window.slice(0, options.limit);
  const first = items.indexOf(data[0]!);
  const last = items.indexOf(data.at(-1)!);
  return {
    object: "list",
    data,
    list_metadata: {
      before: data.length > 0 && first > 0 ? idOf(data[0]!) : null,
      after: data.length > 0 && last < items.length - 1 ? idOf(data.at(-1)!) : null,
    },
  };
}

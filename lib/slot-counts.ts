/**
 * Counts of things held at once in this process, by key (downloads per
 * organization, live streams per caller...). Kept on globalThis under `name`:
 * Next.js bundles routes apart, each with its own copy of a module, and every
 * copy must share one count.
 */
export function slotCounts(name: string) {
  const store = globalThis as unknown as Record<string, Map<string, number> | undefined>;
  const counts = (store[`orgtrailSlots:${name}`] ??= new Map<string, number>());
  const add = (key: string, delta: number) => {
    const next = (counts.get(key) ?? 0) + delta;
    if (next > 0) counts.set(key, next);
    else counts.delete(key);
  };
  return {
    held: (key: string): number => counts.get(key) ?? 0,
    /** Takes one for `key`; the returned release gives it back, once however often it is called. */
    take(key: string): () => void {
      add(key, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        add(key, -1);
      };
    },
  };
}

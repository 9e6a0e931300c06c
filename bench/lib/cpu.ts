/**
 * CPU time of processes on this machine, from /proc (Linux): what a workload
 * costs the server and PostgreSQL, whatever else shares the cores. A busy
 * machine stretches latencies, not CPU seconds per request.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

type Stat = { ppid: number; ms: number };

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name in parentheses: state, ppid, … utime (14th field), stime (15th).
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** User + system CPU milliseconds of these processes (gone ones count 0). */
export function cpuMs(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (stat(pid)?.ms ?? 0), 0);
}

/** A process and all its descendants, as they are now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

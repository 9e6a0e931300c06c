import { formatDistanceToNowStrict } from "date-fns";

/** "3 hours ago", with the exact UTC time on hover; a dash when there is none. */
export function RelativeTime({ iso, empty = "—" }: { iso: string | null; empty?: string }) {
  if (!iso) return <span className="text-zinc-500 dark:text-zinc-400">{empty}</span>;
  return (
    <time dateTime={iso} title={iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")} className="whitespace-nowrap">
      {formatDistanceToNowStrict(new Date(iso), { addSuffix: true })}
    </time>
  );
}

import { formatDistanceToNowStrict } from "date-fns";
import { utc } from "./stream-labels";

/** A past time as "5 minutes ago", its exact UTC time on hover and for machines. Rendered on the server only. */
export function TimeAgo({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={utc(iso)}>
      {formatDistanceToNowStrict(new Date(iso), { addSuffix: true })}
    </time>
  );
}

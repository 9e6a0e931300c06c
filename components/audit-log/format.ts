import type { EventEntity } from "@/lib/events/types";

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return date.toLocaleString(undefined, { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function entityLabel(entity: EventEntity): string {
  return entity.name ? entity.name : `${entity.type}:${entity.id}`;
}

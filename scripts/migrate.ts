// npm run db:migrate: apply pending migrations as the schema's owner, MIGRATION_DATABASE_URL
// (else DATABASE_URL), then, when both are set, set the privileges of DATABASE_URL's role, the
// server's least-privilege runtime role (lib/db/runtime-role.ts; README, "Database roles").
import { migrate } from '../lib/db/migrate';
import { runtimeRoleOf, runtimeRoleWarning } from '../lib/db/runtime-role';

const runtimeUrl = process.env.DATABASE_URL;
const ownerUrl = process.env.MIGRATION_DATABASE_URL ?? runtimeUrl;
if (!ownerUrl) {
  console.error('Neither MIGRATION_DATABASE_URL nor DATABASE_URL is set.');
  process.exit(2);
}
try {
  const runtimeRole = runtimeUrl && ownerUrl !== runtimeUrl ? await runtimeRoleOf(runtimeUrl) : undefined;
  const applied = await migrate(ownerUrl, { runtimeRole });
  console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date.');
  if (runtimeRole) console.log(`Privileges of the runtime role "${runtimeRole}" are set.`);
  const warning = runtimeUrl ? await runtimeRoleWarning(runtimeUrl) : undefined;
  if (warning) console.warn(warning);
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

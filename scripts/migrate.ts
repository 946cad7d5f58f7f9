// npm run db:migrate: apply pending migrations to DATABASE_URL.
import { migrate } from '../lib/db/migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set.');
  process.exit(2);
}
const applied = await migrate(url);
console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date.');

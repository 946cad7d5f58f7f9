// Seeds the demo organization into DATABASE_URL when it holds no organization yet.
import { seedDemo } from '../lib/demo/seed-demo';
import { db } from '../lib/db/client';

const created = await seedDemo();
console.log(
  created
    ? 'Seeded the demo organization "Demo Fleet" (slug: demo).'
    : 'Demo data: the database already has organizations; nothing seeded.',
);
await db.$disconnect();

// Appends realistic, correctly chained audit events to an organization, fast:
//   npm run seed:audit -- --org <slug> [--count 1000000] [--days 90]
// Reads DATABASE_URL. The chain still verifies afterwards; live writers may keep writing.
// The events are back-dated over the last --days days (so charts and time filters have history),
// so in a fresh organization their seq numbers follow the real events that came before them.
import { parseArgs } from 'node:util';
import { seedAuditEvents } from '../lib/audit/seed-events';
import { withClient } from '../lib/db/admin';
import { env } from '../lib/env';

const { values } = parseArgs({
  options: {
    org: { type: 'string' },
    count: { type: 'string', default: '10000' },
    days: { type: 'string', default: '90' },
  },
  strict: true,
});
const count = Number(values.count);
const days = Number(values.days);
if (!values.org || !Number.isInteger(count) || count < 1 || !(days > 0)) {
  console.error('Usage: npm run seed:audit -- --org <slug> [--count 1000000] [--days 90]');
  process.exit(2);
}

await withClient(env().DATABASE_URL, async (client) => {
  const org = await client.query<{ id: string }>('SELECT id FROM organizations WHERE slug = $1', [values.org]);
  const organizationId = org.rows[0]?.id;
  if (!organizationId) {
    console.error(`No organization with slug "${values.org}".`);
    process.exit(1);
  }
  const started = performance.now();
  let reported = 0;
  const result = await seedAuditEvents(client, {
    organizationId,
    count,
    days,
    onProgress: (done) => {
      if (done - reported >= 100_000 || done === count) {
        reported = done;
        const seconds = (performance.now() - started) / 1000;
        console.log(`${done.toLocaleString('en')} events (${Math.round(done / seconds).toLocaleString('en')}/s)`);
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Seeded ${result.inserted.toLocaleString('en')} events into "${values.org}" in ${seconds.toFixed(1)} s; last seq ${result.lastSeq}.`,
  );
});

'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TokenActivity } from '@/lib/audit/dto';

function label(t: string, bucket: TokenActivity['bucket']): string {
  if (bucket === 'hour') return `${t.slice(5, 10)} ${t.slice(11, 16)}`;
  return bucket === 'week' ? `wk ${t.slice(0, 10)}` : t.slice(0, 10);
}

// The chart reads the theme's colours, so it follows dark mode (app/globals.css) with the page.
const TICK = { fontSize: 11, fill: 'var(--color-gray-600)' };
const AXIS = 'var(--color-gray-300)';

/** TokenActivityChart shows tokens issued and refused per hour or day (UTC). */
export function TokenActivityChart({ data }: { data: TokenActivity }) {
  const points = data.points.map((p) => ({ ...p, label: label(p.t, data.bucket) }));
  const issued = points.reduce((n, p) => n + p.issued, 0);
  const refused = points.reduce((n, p) => n + p.refused, 0);
  return (
    <figure
      aria-label="Token issuance and refusals over time"
      className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-gray-200"
    >
      <figcaption className="mb-2 text-sm font-semibold text-gray-900">
        Tokens per {data.bucket} (UTC): <span data-testid="tokens-issued">{issued.toLocaleString('en')} issued</span>,{' '}
        <span data-testid="tokens-refused">{refused.toLocaleString('en')} refused</span>
      </figcaption>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={points} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--color-gray-200)" />
            <XAxis dataKey="label" tick={TICK} stroke={AXIS} minTickGap={16} />
            <YAxis allowDecimals={false} tick={TICK} stroke={AXIS} width={40} />
            <Tooltip
              cursor={{ fill: 'var(--color-gray-100)' }}
              contentStyle={{ background: 'var(--color-white)', borderColor: 'var(--color-gray-200)' }}
              labelStyle={{ color: 'var(--color-gray-900)' }}
            />
            <Legend />
            <Bar dataKey="issued" name="Issued" stackId="t" fill="var(--color-blue-600, #2563eb)" />
            <Bar dataKey="refused" name="Refused" stackId="t" fill="var(--color-red-600, #dc2626)" />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

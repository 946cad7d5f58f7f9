import type { CredentialActivity } from '@/lib/service-accounts/activity';

/**
 * ActivitySummary is a credential's last 7 days in a table cell: issued and refused counts and
 * a small bar per day (decoration: the counts are the text).
 */
export function ActivitySummary({ activity }: { activity: CredentialActivity | undefined }) {
  if (!activity) return <span className="text-gray-400">—</span>;
  const peak = Math.max(1, ...activity.daily.map((d) => d.issued + d.refused));
  return (
    <span className="inline-flex items-center gap-2">
      <svg width={7 * 6} height={16} aria-hidden="true" className="shrink-0">
        {activity.daily.map((d, i) => {
          const issued = Math.round((d.issued / peak) * 16);
          const refused = Math.round((d.refused / peak) * 16);
          return (
            <g key={i}>
              <rect x={i * 6} y={16 - issued - refused} width={4} height={refused} className="fill-red-500" />
              <rect x={i * 6} y={16 - issued} width={4} height={issued} className="fill-blue-500" />
            </g>
          );
        })}
      </svg>
      <span className="whitespace-nowrap text-xs">
        {activity.issued.toLocaleString('en')} issued
        {activity.refused ? (
          <span className="text-red-700"> · {activity.refused.toLocaleString('en')} refused</span>
        ) : null}
      </span>
    </span>
  );
}

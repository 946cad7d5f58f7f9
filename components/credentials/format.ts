/** formatDateTime renders an ISO instant the same on server and client (UTC), so hydration agrees. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * expiryHint explains what an empty expiry field means: credentials get the default lifetime
 * (2 years) unless the organization caps them lower, in which case the cap is the default too.
 */
export function expiryHint(maxDays: number, defaultDays = 730): string {
  if (maxDays < defaultDays) return `Default and maximum: ${maxDays} days (this organization's limit).`;
  return `Default 2 years; at most ${maxDays} days.`;
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

/** formatDuration says a number of seconds in the largest whole units: 3600 → "1 hour", 5400 → "1 hour 30 minutes". */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let rest = Math.max(0, Math.floor(seconds));
  for (const [size, name] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    rest -= n * size;
  }
  return parts.length ? parts.join(' ') : '0 seconds';
}

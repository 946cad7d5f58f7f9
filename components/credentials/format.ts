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

import 'server-only';
import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { DEFAULT_CREDENTIAL_LIFETIME_DAYS } from '@/lib/service-accounts/schema';

const DAY_MS = 86_400_000;

/**
 * credentialExpiry resolves a new credential's expiry: the requested instant, or by default
 * 2 years from now capped by the organization's maximum credential lifetime. A requested
 * expiry in the past or beyond the maximum is a field error on `expiresAt`.
 */
export async function credentialExpiry(
  tx: Tx,
  orgId: string,
  requested: Date | undefined,
  now = new Date(),
): Promise<Date> {
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: orgId },
    select: { maxCredentialLifetimeDays: true },
  });
  const max = new Date(now.getTime() + org.maxCredentialLifetimeDays * DAY_MS);
  if (!requested)
    return new Date(now.getTime() + Math.min(DEFAULT_CREDENTIAL_LIFETIME_DAYS, org.maxCredentialLifetimeDays) * DAY_MS);
  if (requested <= now) {
    throw new AppError('validation_failed', 'The expiry must be in the future.', {
      fields: { expiresAt: ['Choose a date in the future.'] },
    });
  }
  // A calendar date on the last allowed day means "as long as allowed", not a refusal.
  if (requested > max && requested.toISOString().slice(0, 10) === max.toISOString().slice(0, 10)) return max;
  if (requested > max) {
    const message = `This organization allows credentials to live at most ${org.maxCredentialLifetimeDays} days (until ${max.toISOString().slice(0, 10)}).`;
    throw new AppError('validation_failed', message, { fields: { expiresAt: [message] } });
  }
  return requested;
}

import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { secretContext } from './create-oem-credential';

/**
 * openOemCredentialSecret decrypts a credential's client_secret for a server-side connector
 * that calls the manufacturer's API. It is never reachable from a page or an API response.
 */
export async function openOemCredentialSecret(
  ctx: OrgContext,
  id: string,
): Promise<{ clientId: string; clientSecret: string }> {
  const row = await db.oemCredential.findFirst({
    where: { id, organizationId: ctx.orgId },
    select: { clientId: true, clientSecretEnc: true },
  });
  if (!row) throw new AppError('not_found', 'No such OEM credential.');
  return { clientId: row.clientId, clientSecret: open(row.clientSecretEnc, secretContext(id)).toString('utf8') };
}

import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { OrgContext } from '@/lib/auth/context';
import { seal } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { CredentialBrand } from './brands';
import { secretContext } from './create-oem-credential';
import { credentialSelect, toOemCredentialDto } from './queries';
import type { OemCredentialDto, UpdateOemCredentialInput } from './schema';

/**
 * updateOemCredentialSecret replaces a credential's client_secret (the only mutable field),
 * sealing it under the current master key, which also moves the row to the newest key version.
 * Another organization's id, or another brand's, is not_found. Audited as
 * oem_credential.secret_changed (without the secret).
 */
export async function updateOemCredentialSecret(
  ctx: OrgContext,
  id: string,
  input: UpdateOemCredentialInput,
  brand?: CredentialBrand,
): Promise<OemCredentialDto> {
  const { sealed, keyVersion } = seal(input.client_secret, secretContext(id));
  return db.$transaction(async (tx) => {
    const updated = await tx.oemCredential.updateMany({
      where: { id, organizationId: ctx.orgId, ...(brand ? { brand } : {}) },
      data: { clientSecretEnc: new Uint8Array(sealed), encKeyVersion: keyVersion },
    });
    if (updated.count === 0) throw new AppError('not_found', 'No such OEM credential.');
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'oem_credential.secret_changed',
      target: { type: 'oem_credential', id },
      meta: ctx,
      details: { key_version: keyVersion },
    });
    const row = await tx.oemCredential.findFirstOrThrow({
      where: { id, organizationId: ctx.orgId },
      select: credentialSelect,
    });
    return toOemCredentialDto(row);
  });
}

import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { OrgContext } from '@/lib/auth/context';
import { seal } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { newUlid } from '@/lib/ids';
import { BRAND_LABELS, type CredentialBrand } from './brands';
import { credentialSelect, toOemCredentialDto } from './queries';
import type { CreateOemCredentialInput, OemCredentialDto } from './schema';

/** The additional data that binds a sealed secret to its row. */
export function secretContext(id: string): string {
  return `oem_credential:${id}`;
}

/**
 * createOemCredential stores a manufacturer's client credentials for the caller's organization.
 * The secret is sealed (AES-256-GCM under the current master key, bound to the row id) before
 * it reaches the database and is never returned. Throws name_taken when the name is used in the
 * organization, conflict when the same client_id of the brand is already stored. Audited as
 * oem_credential.created (without the secret).
 */
export async function createOemCredential(
  ctx: OrgContext,
  brand: CredentialBrand,
  input: CreateOemCredentialInput,
): Promise<OemCredentialDto> {
  const id = newUlid();
  const { sealed, keyVersion } = seal(input.client_secret, secretContext(id));
  return db.$transaction(async (tx) => {
    const clash = await tx.oemCredential.findFirst({
      where: { organizationId: ctx.orgId, OR: [{ name: input.name }, { brand, clientId: input.client_id }] },
      select: { name: true },
    });
    if (clash?.name === input.name) {
      throw new AppError('name_taken', `An OEM credential named "${input.name}" already exists.`, {
        fields: { name: ['This name is already used.'] },
      });
    }
    if (clash) {
      throw new AppError('conflict', `This ${BRAND_LABELS[brand]} client_id is already stored as "${clash.name}".`, {
        fields: { client_id: ['Already stored.'] },
      });
    }
    const row = await tx.oemCredential.create({
      data: {
        id,
        organizationId: ctx.orgId,
        brand,
        name: input.name,
        clientId: input.client_id,
        clientSecretEnc: new Uint8Array(sealed),
        encKeyVersion: keyVersion,
        createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
      },
      select: credentialSelect,
    });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'oem_credential.created',
      target: { type: 'oem_credential', id },
      meta: ctx,
      details: { brand, name: input.name, client_id: input.client_id, key_version: keyVersion },
    });
    return toOemCredentialDto(row);
  });
}

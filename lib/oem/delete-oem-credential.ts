import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { CredentialBrand } from './brands';

const NAMED_VEHICLES = 20;

/**
 * deleteOemCredential removes a credential no vehicle uses. While vehicles use it, it throws
 * oem_credential_in_use naming their VINs (the database's ON DELETE RESTRICT backs this up
 * against a vehicle added concurrently). Another organization's id is not_found. Audited as
 * oem_credential.deleted.
 */
export async function deleteOemCredential(ctx: OrgContext, id: string, brand?: CredentialBrand): Promise<void> {
  try {
    await deleteUnused(ctx, id, brand);
  } catch (error) {
    // P2003: a vehicle started using it between our check and the delete (ON DELETE RESTRICT).
    if ((error as { code?: unknown } | null)?.code === 'P2003') {
      throw new AppError(
        'oem_credential_in_use',
        'A vehicle started using this credential while it was being deleted. Reload and try again.',
      );
    }
    throw error;
  }
}

async function deleteUnused(ctx: OrgContext, id: string, brand?: CredentialBrand): Promise<void> {
  await db.$transaction(async (tx) => {
    const credential = await tx.oemCredential.findFirst({
      where: { id, organizationId: ctx.orgId, ...(brand ? { brand } : {}) },
      select: { id: true, name: true, brand: true },
    });
    if (!credential) throw new AppError('not_found', 'No such OEM credential.');
    const [vehicles, count] = await Promise.all([
      tx.vehicle.findMany({
        where: { organizationId: ctx.orgId, oemCredentialId: id },
        orderBy: { vin: 'asc' },
        take: NAMED_VEHICLES,
        select: { vin: true },
      }),
      tx.vehicle.count({ where: { organizationId: ctx.orgId, oemCredentialId: id } }),
    ]);
    if (count > 0) {
      const vins = vehicles.map((v) => v.vin).join(', ');
      const more = count > vehicles.length ? ` and ${count - vehicles.length} more` : '';
      throw new AppError(
        'oem_credential_in_use',
        `"${credential.name}" is used by ${count} vehicle${count === 1 ? '' : 's'}: ${vins}${more}. Remove those vehicles first.`,
        { fields: { vehicles: vehicles.map((v) => v.vin) } },
      );
    }
    await tx.oemCredential.deleteMany({ where: { id, organizationId: ctx.orgId } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'oem_credential.deleted',
      target: { type: 'oem_credential', id },
      meta: ctx,
      details: { brand: credential.brand, name: credential.name },
    });
  });
}

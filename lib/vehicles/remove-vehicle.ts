import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { VehicleKey } from './schema';

/**
 * removeVehicle deletes a vehicle of the caller's organization, named by id or VIN (others:
 * not_found). Audited as vehicle.removed.
 */
export async function removeVehicle(ctx: OrgContext, key: string | VehicleKey): Promise<void> {
  const where = typeof key === 'string' ? { id: key } : key;
  await db.$transaction(async (tx) => {
    const vehicle = await tx.vehicle.findFirst({
      where: { ...where, organizationId: ctx.orgId },
      select: { id: true, vin: true, brand: true },
    });
    if (!vehicle) throw new AppError('not_found', 'No such vehicle.');
    const id = vehicle.id;
    await tx.vehicle.deleteMany({ where: { id, organizationId: ctx.orgId } });
    await recordAuditEvent(tx, {
      organizationId: ctx.orgId,
      actor: ctx.actor,
      action: 'vehicle.removed',
      target: { type: 'vehicle', id },
      meta: ctx,
      details: { vin: vehicle.vin, brand: vehicle.brand },
    });
  });
}

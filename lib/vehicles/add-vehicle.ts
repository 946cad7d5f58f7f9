import 'server-only';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { newId } from '@/lib/ids';
import { BRAND_LABELS, needsCredential } from '@/lib/oem/brands';
import { toVehicleDto, vehicleSelect } from './queries';
import { brandFromWmi } from './vin';
import type { AddVehicleInput, VehicleDto } from './schema';

/**
 * addVehicle registers a vehicle (VIN already validated by the schema) in the caller's
 * organization. Mercedes-Benz, NIU and Segway vehicles need an OEM credential of the same brand
 * from the same organization (brand_mismatch otherwise; another organization's credential is
 * not_found); CloudBoxx vehicles take none. A VIN is registered once per organization
 * (vin_taken). A VIN whose manufacturer code names another brand is brand_mismatch (a
 * Mercedes-Benz VIN cannot be registered as an NIU vehicle); unknown codes are left to the user.
 * Audited as vehicle.added.
 */
export async function addVehicle(ctx: OrgContext, input: AddVehicleInput): Promise<VehicleDto> {
  const { vin, brand } = input;
  const credentialId = input.oem_credential_id;
  const known = brandFromWmi(vin);
  if (known && known.brand !== brand) {
    throw new AppError(
      'brand_mismatch',
      `${vin} is a ${known.manufacturer} VIN (manufacturer code ${known.wmi}): register it as ${BRAND_LABELS[known.brand]}.`,
      { fields: { brand: [`The VIN says ${BRAND_LABELS[known.brand]}.`] } },
    );
  }
  if (!needsCredential(brand) && credentialId) {
    throw new AppError(
      'brand_mismatch',
      `${BRAND_LABELS[brand]} vehicles connect without an OEM credential: leave it empty.`,
      { fields: { oem_credential_id: ['Not used for this brand.'] } },
    );
  }
  if (needsCredential(brand) && !credentialId) {
    throw new AppError('validation_failed', `${BRAND_LABELS[brand]} vehicles need an OEM credential of that brand.`, {
      fields: { oem_credential_id: ['Choose a credential.'] },
    });
  }
  try {
    return await db.$transaction(async (tx) => {
      if (credentialId) {
        const credential = await tx.oemCredential.findFirst({
          where: { id: credentialId, organizationId: ctx.orgId },
          select: { brand: true, name: true },
        });
        // not_found, not brand_mismatch: another organization's credential must look missing.
        if (!credential)
          throw new AppError('not_found', 'No such OEM credential.', {
            fields: { oem_credential_id: ['No such credential.'] },
          });
        if (credential.brand !== brand) {
          throw new AppError(
            'brand_mismatch',
            `"${credential.name}" is a ${BRAND_LABELS[credential.brand]} credential; a ${BRAND_LABELS[brand]} vehicle needs a ${BRAND_LABELS[brand]} one.`,
            {
              fields: { oem_credential_id: ['Wrong brand.'] },
            },
          );
        }
      }
      if (await tx.vehicle.findFirst({ where: { organizationId: ctx.orgId, vin }, select: { id: true } })) {
        throw new AppError('vin_taken', `Vehicle ${vin} is already registered.`, {
          fields: { vin: ['Already registered.'] },
        });
      }
      const row = await tx.vehicle.create({
        data: {
          id: newId('vehicle'),
          organizationId: ctx.orgId,
          vin,
          brand,
          oemCredentialId: credentialId ?? null,
          createdById: ctx.actor.type === 'MEMBER' ? ctx.actor.id : null,
        },
        select: vehicleSelect,
      });
      await recordAuditEvent(tx, {
        organizationId: ctx.orgId,
        actor: ctx.actor,
        action: 'vehicle.added',
        target: { type: 'vehicle', id: row.id },
        meta: ctx,
        details: { vin, brand, oem_credential_id: credentialId ?? null },
      });
      return toVehicleDto(row);
    });
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'P2002')
      throw new AppError('vin_taken', `Vehicle ${vin} is already registered.`, {
        fields: { vin: ['Already registered.'] },
      });
    throw error;
  }
}

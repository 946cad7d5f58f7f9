import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { OemBrand } from '@/lib/oem/brands';
import type { VehicleDto, VehicleKey } from './schema';

export const vehicleSelect = {
  id: true,
  vin: true,
  brand: true,
  createdAt: true,
  oemCredential: { select: { id: true, name: true } },
} as const;

type VehicleRow = {
  id: string;
  vin: string;
  brand: string;
  createdAt: Date;
  oemCredential: { id: string; name: string } | null;
};

export function toVehicleDto(row: VehicleRow): VehicleDto {
  return {
    id: row.id,
    vin: row.vin,
    brand: row.brand as OemBrand,
    oem_credential: row.oemCredential ? { id: row.oemCredential.id, name: row.oemCredential.name } : null,
    created_at: row.createdAt.toISOString(),
  };
}

/** listVehicles returns the organization's vehicles by VIN. */
export async function listVehicles(ctx: OrgContext): Promise<VehicleDto[]> {
  const rows = await db.vehicle.findMany({
    where: { organizationId: ctx.orgId },
    orderBy: { vin: 'asc' },
    select: vehicleSelect,
  });
  return rows.map(toVehicleDto);
}

/** getVehicle returns one vehicle of the caller's organization, by id or VIN; any other is not_found. */
export async function getVehicle(ctx: OrgContext, key: string | VehicleKey): Promise<VehicleDto> {
  const where = typeof key === 'string' ? { id: key } : key;
  const row = await db.vehicle.findFirst({ where: { ...where, organizationId: ctx.orgId }, select: vehicleSelect });
  if (!row) throw new AppError('not_found', 'No such vehicle.');
  return toVehicleDto(row);
}

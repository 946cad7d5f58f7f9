import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { CredentialBrand } from './brands';
import type { OemCredentialDto } from './schema';

type CredentialRow = {
  id: string;
  brand: string;
  name: string;
  clientId: string;
  encKeyVersion: number;
  createdAt: Date;
  updatedAt: Date;
  _count: { vehicles: number };
};

/** The columns a DTO is built from: the ciphertext is never selected for a response. */
export const credentialSelect = {
  id: true,
  brand: true,
  name: true,
  clientId: true,
  encKeyVersion: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { vehicles: true } },
} as const;

/** toOemCredentialDto builds the public shape; it has no field that could carry the secret. */
export function toOemCredentialDto(row: CredentialRow): OemCredentialDto {
  return {
    id: row.id,
    brand: row.brand as CredentialBrand,
    name: row.name,
    client_id: row.clientId,
    key_version: row.encKeyVersion,
    vehicle_count: row._count.vehicles,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** listOemCredentials returns the organization's credentials (of one brand if given), by name. */
export async function listOemCredentials(ctx: OrgContext, brand?: CredentialBrand): Promise<OemCredentialDto[]> {
  const rows = await db.oemCredential.findMany({
    where: { organizationId: ctx.orgId, ...(brand ? { brand } : {}) },
    orderBy: { name: 'asc' },
    select: credentialSelect,
  });
  return rows.map(toOemCredentialDto);
}

/**
 * getOemCredential returns one credential of the caller's organization. Another organization's
 * id, or a brand that does not match, answers not_found exactly like a missing id.
 */
export async function getOemCredential(
  ctx: OrgContext,
  id: string,
  brand?: CredentialBrand,
  client: Tx = db,
): Promise<OemCredentialDto> {
  const row = await client.oemCredential.findFirst({
    where: { id, organizationId: ctx.orgId, ...(brand ? { brand } : {}) },
    select: credentialSelect,
  });
  if (!row) throw new AppError('not_found', 'No such OEM credential.');
  return toOemCredentialDto(row);
}

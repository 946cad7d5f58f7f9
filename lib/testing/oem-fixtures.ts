import { randomBytes } from 'node:crypto';
import type { OrgContext } from '@/lib/auth/context';
import type { CredentialBrand } from '@/lib/oem/brands';
import { createOemCredential } from '@/lib/oem/create-oem-credential';
import { computeCheckDigit } from '@/lib/vehicles/vin';

/** testSecret is a recognisable, unique client secret to search responses and rows for. */
export function testSecret(): string {
  return `oem-secret-${randomBytes(12).toString('hex')}`;
}

/** createTestOemCredential stores a credential of `brand` with a fresh name, client id and secret. */
export async function createTestOemCredential(
  ctx: OrgContext,
  brand: CredentialBrand = 'MERCEDES_BENZ',
  secret = testSecret(),
) {
  const tag = randomBytes(3).toString('hex');
  const credential = await createOemCredential(ctx, brand, {
    name: `${brand} ${tag}`,
    client_id: `client-${tag}`,
    client_secret: secret,
  });
  return { credential, secret };
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/** randomVin returns a valid VIN with the given WMI (North American ones get their check digit). */
export function randomVin(wmi = 'WDD'): string {
  const bytes = randomBytes(14);
  let rest = '';
  for (const b of bytes) rest += VIN_CHARS[b % VIN_CHARS.length];
  const vin = `${wmi}${rest}`.slice(0, 17);
  return `${vin.slice(0, 8)}${computeCheckDigit(vin)}${vin.slice(9)}`;
}

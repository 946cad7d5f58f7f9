import 'server-only';
import type { OrgContext } from '@/lib/auth/context';
import { db } from '@/lib/db/client';
import { BRAND_LABELS, OEM_BRANDS, needsCredential, type OemBrand } from '@/lib/oem/brands';
import type { VinLookupDto } from './schema';
import { brandFromWmi, checkVin, vinRegion } from './vin';

/**
 * lookupVin tells what connecting a VIN takes: whether it is valid (and why not), the brand if
 * its WMI is known, and for that brand (or every brand when unknown) whether it needs an OEM
 * credential and which of the organization's credentials could serve it. Reads only.
 */
export async function lookupVin(ctx: OrgContext, input: string): Promise<VinLookupDto> {
  const check = checkVin(input);
  if (!check.ok) {
    return {
      vin: check.vin,
      valid: false,
      problem: check.reason,
      check_digit: null,
      region: null,
      wmi: null,
      manufacturer: null,
      brand: null,
      registered: false,
      options: [],
    };
  }
  const vin = check.vin;
  const known = brandFromWmi(vin);
  const brands: readonly OemBrand[] = known ? [known.brand] : OEM_BRANDS;
  const [credentials, registered] = await Promise.all([
    db.oemCredential.findMany({
      where: { organizationId: ctx.orgId, brand: { in: brands.filter(needsCredential) } },
      orderBy: { name: 'asc' },
      select: { id: true, name: true, brand: true },
    }),
    db.vehicle.findFirst({ where: { organizationId: ctx.orgId, vin }, select: { id: true } }),
  ]);
  return {
    vin,
    valid: true,
    problem: null,
    check_digit: check.checkDigit,
    region: vinRegion(vin),
    wmi: vin.slice(0, 3),
    manufacturer: known?.manufacturer ?? null,
    brand: known?.brand ?? null,
    registered: Boolean(registered),
    options: brands.map((brand) => {
      if (!needsCredential(brand)) {
        return {
          brand,
          needs_credential: false,
          credentials: [],
          can_connect: true,
          needs: `${BRAND_LABELS[brand]} connects through its telematics box: no OEM credential needed.`,
        };
      }
      const mine = credentials.filter((c) => c.brand === brand).map(({ id, name }) => ({ id, name }));
      return {
        brand,
        needs_credential: true,
        credentials: mine,
        can_connect: mine.length > 0,
        needs:
          mine.length > 0
            ? `A ${BRAND_LABELS[brand]} OEM credential: ${mine.length} available.`
            : `A ${BRAND_LABELS[brand]} OEM credential: add one under OEM credentials first.`,
      };
    }),
  };
}

import { z } from 'zod';

/** Every vehicle brand Latchkey knows, as stored in the database (enum oem_brand). */
export const OEM_BRANDS = ['MERCEDES_BENZ', 'NIU', 'SEGWAY', 'CLOUDBOXX'] as const;
export type OemBrand = (typeof OEM_BRANDS)[number];

/** Brands whose vehicles need an OEM credential; CloudBoxx connects without one. */
export const CREDENTIAL_BRANDS = ['MERCEDES_BENZ', 'NIU', 'SEGWAY'] as const;
export type CredentialBrand = (typeof CREDENTIAL_BRANDS)[number];

export const BRAND_LABELS: Record<OemBrand, string> = {
  MERCEDES_BENZ: 'Mercedes-Benz',
  NIU: 'NIU',
  SEGWAY: 'Segway',
  CLOUDBOXX: 'CloudBoxx',
};

/**
 * BRAND_SLUGS are the lower-case path segments of /api/v1/credentials/{brand}
 * (mercedes-benz, niu, segway).
 */
export const BRAND_SLUGS: Record<CredentialBrand, string> = {
  MERCEDES_BENZ: 'mercedes-benz',
  NIU: 'niu',
  SEGWAY: 'segway',
};

export const brandSchema = z.enum(OEM_BRANDS, { error: 'Choose a brand: MERCEDES_BENZ, NIU, SEGWAY or CLOUDBOXX.' });
export const credentialBrandSchema = z.enum(CREDENTIAL_BRANDS, {
  error: 'Choose a brand that uses OEM credentials: MERCEDES_BENZ, NIU or SEGWAY.',
});

export function needsCredential(brand: OemBrand): brand is CredentialBrand {
  return (CREDENTIAL_BRANDS as readonly string[]).includes(brand);
}

/** brandFromSlug maps a path segment (mercedes-benz, niu, segway) to its brand, or null. */
export function brandFromSlug(slug: string): CredentialBrand | null {
  const entry = Object.entries(BRAND_SLUGS).find(([, s]) => s === slug.toLowerCase());
  return entry ? (entry[0] as CredentialBrand) : null;
}

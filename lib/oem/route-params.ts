import { z } from 'zod';
import { brandFromSlug, type CredentialBrand } from './brands';
import { brandSlugSchema, oemCredentialRef } from './schema';

const toBrand = (slug: string): CredentialBrand => brandFromSlug(slug) as CredentialBrand;

/** Path params of /api/v1/credentials/{brandSlug}: the slug becomes the stored brand. */
export const brandParams = z.object({ brandSlug: brandSlugSchema.transform(toBrand) });
/** Path params of /api/v1/credentials/{brandSlug}/{credentialId}. */
export const credentialParams = z.object({
  brandSlug: brandSlugSchema.transform(toBrand),
  credentialId: oemCredentialRef.shape.id,
});

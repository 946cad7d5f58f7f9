import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { nameField } from '@/lib/validation/names';
import { BRAND_SLUGS, CREDENTIAL_BRANDS, credentialBrandSchema } from './brands';

const name = nameField({ required: 'Give the credential a name.' });
const clientId = z
  .string()
  .trim()
  .min(1, { error: 'Enter the client ID the manufacturer gave you.' })
  .max(255, { error: 'At most 255 characters.' })
  .regex(/^[\x21-\x7e]+$/, { error: 'A client ID has no spaces or special characters.' });
// Not trimmed: a secret is used exactly as the manufacturer issued it.
const clientSecret = z
  .string({ error: 'Enter the client secret.' })
  .min(1, { error: 'Enter the client secret.' })
  .max(1024, { error: 'At most 1024 characters.' });

/** The brand path segment of /api/v1/credentials/{brand}: mercedes-benz, niu or segway. */
export const brandSlugSchema = z
  .enum(Object.values(BRAND_SLUGS) as [string, ...string[]], {
    error: 'Unknown brand: use mercedes-benz, niu or segway.',
  })
  .meta({ description: 'Brand slug: mercedes-benz, niu or segway (CloudBoxx needs no credential).' });

/** POST /api/v1/credentials/{brand} body. */
export const createOemCredentialInput = z
  .strictObject({ name, client_id: clientId, client_secret: clientSecret })
  .meta({ id: 'CreateOemCredentialInput' });
export type CreateOemCredentialInput = z.output<typeof createOemCredentialInput>;

/** The console form: the same fields plus the brand (the API takes it from the path). */
export const createOemCredentialForm = z.object({
  brand: credentialBrandSchema,
  name,
  client_id: clientId,
  client_secret: clientSecret,
});

/** PATCH body: only the secret can change; a different client_id is a new credential. */
export const updateOemCredentialInput = z.strictObject({ client_secret: clientSecret }).meta({
  id: 'UpdateOemCredentialInput',
  description: 'Only client_secret can change. Any other field answers 400 immutable_field.',
});
export type UpdateOemCredentialInput = z.output<typeof updateOemCredentialInput>;

/** PATCH parses the body loosely first so that other fields get `immutable_field`, not a generic error. */
export const looseJsonObject = z.record(z.string(), z.unknown(), { error: 'Send a JSON object.' });

/**
 * parseSecretUpdate refuses any field but client_secret with `immutable_field` (naming them),
 * then validates the secret.
 */
export function parseSecretUpdate(body: Record<string, unknown>): UpdateOemCredentialInput {
  const others = Object.keys(body).filter((key) => key !== 'client_secret');
  if (others.length > 0) {
    throw new AppError(
      'immutable_field',
      `Only client_secret can be changed; ${others.join(', ')} cannot. A different client_id is a new credential: create one.`,
      { fields: Object.fromEntries(others.map((key) => [key, ['This field cannot be changed.']])) },
    );
  }
  const result = updateOemCredentialInput.safeParse(body);
  if (!result.success) {
    throw new AppError('validation_failed', 'The request body is invalid.', {
      fields: { client_secret: result.error.issues.map((i) => i.message) },
    });
  }
  return result.data;
}

export const oemCredentialRef = z.object({
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not a credential id.' }),
});
export const updateOemCredentialForm = oemCredentialRef.extend({ client_secret: clientSecret });

export const oemCredentialDto = z
  .object({
    id: z.string().meta({ description: 'ULID', example: '01JCX9Q3M5ZB8W2D6N4R7T1V0Y' }),
    brand: z.enum(CREDENTIAL_BRANDS),
    name: z.string(),
    client_id: z.string(),
    key_version: z.number().int().meta({ description: 'Master key version the secret is encrypted under.' }),
    vehicle_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'OemCredential', description: 'The client_secret is write-only: it is never returned.' });
export type OemCredentialDto = z.output<typeof oemCredentialDto>;

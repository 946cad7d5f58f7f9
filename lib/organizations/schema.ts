import { z } from 'zod';
import { nameField } from '@/lib/validation/names';
import { formNumber, jsonNumber } from '@/lib/validation/numbers';

export const organizationNameField = nameField({
  required: 'Enter an organization name.',
  min: { length: 2, message: 'Use at least 2 characters.' },
});

export const organizationSlugField = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, {
    error: 'Use 2–63 lowercase letters, digits and dashes, starting with a letter or digit.',
  });

export const createOrganizationInput = z.strictObject({
  name: organizationNameField,
  slug: organizationSlugField.optional(),
});
export type CreateOrganizationInput = z.infer<typeof createOrganizationInput>;

/** slugify turns a display name into a URL slug candidate. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return slug.length >= 2 ? slug : `org-${slug || 'new'}`;
}

export const updateOrganizationInput = z
  .strictObject({
    name: organizationNameField.optional(),
    maxCredentialLifetimeDays: jsonNumber('Enter a number of days.')
      .int({ error: 'Enter a whole number of days.' })
      .min(1, { error: 'At least 1 day.' })
      .max(3650, { error: 'At most 3650 days (10 years).' })
      .optional(),
    requireTwoFactor: z
      .boolean({ error: 'requireTwoFactor is true or false.' })
      .optional()
      .meta({ description: 'Members must turn on two-factor authentication before using the console (owners only).' }),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: 'Nothing to change.' })
  .meta({ id: 'UpdateOrganizationInput' });
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationInput>;

/** The settings form sends requireTwoFactor as "true"/"false" (a select) and the days as text; the rest as the API does. */
export const updateOrganizationForm = z.preprocess((v) => {
  if (!v || typeof v !== 'object') return v;
  const { requireTwoFactor, ...fields } = v as Record<string, unknown>;
  const rest =
    'maxCredentialLifetimeDays' in fields
      ? { ...fields, maxCredentialLifetimeDays: formNumber(fields.maxCredentialLifetimeDays) }
      : fields;
  if (requireTwoFactor === 'true') return { ...rest, requireTwoFactor: true };
  if (requireTwoFactor === 'false') return { ...rest, requireTwoFactor: false };
  return requireTwoFactor === undefined ? rest : { ...rest, requireTwoFactor };
}, updateOrganizationInput);

export const organizationDto = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    maxCredentialLifetimeDays: z.number().int(),
    requireTwoFactor: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Organization' });
export type OrganizationSettingsDto = z.infer<typeof organizationDto>;

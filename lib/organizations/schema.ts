import { z } from 'zod';

export const organizationNameField = z
  .string({ error: 'Enter an organization name.' })
  .trim()
  .min(1, { error: 'Enter an organization name.', abort: true })
  .min(2, { error: 'Use at least 2 characters.' })
  .max(100, { error: 'Use at most 100 characters.' });

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
    maxCredentialLifetimeDays: z.coerce
      .number({ error: 'Enter a number of days.' })
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

/** The settings form sends requireTwoFactor as "true"/"false" (a select); the rest as the API does. */
export const updateOrganizationForm = z.preprocess((v) => {
  if (!v || typeof v !== 'object') return v;
  const { requireTwoFactor, ...rest } = v as Record<string, unknown>;
  if (requireTwoFactor === 'true') return { ...rest, requireTwoFactor: true };
  if (requireTwoFactor === 'false') return { ...rest, requireTwoFactor: false };
  return requireTwoFactor === undefined ? rest : v;
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

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
  })
  .refine((v) => v.name !== undefined || v.maxCredentialLifetimeDays !== undefined, { error: 'Nothing to change.' })
  .meta({ id: 'UpdateOrganizationInput' });
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationInput>;

export const organizationDto = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    maxCredentialLifetimeDays: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Organization' });
export type OrganizationSettingsDto = z.infer<typeof organizationDto>;

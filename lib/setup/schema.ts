import { z } from 'zod';
import { emailField, newPasswordField, personNameField } from '@/lib/auth/schema';
import { organizationNameField } from '@/lib/organizations/schema';

/** setupInput is the first-run form: the first organization and its owner. */
export const setupInput = z
  .object({
    organizationName: organizationNameField,
    name: personNameField,
    email: emailField,
    password: newPasswordField,
    confirmPassword: z.string({ error: 'Repeat the password.' }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], error: 'The passwords do not match.' });
export type SetupInput = z.infer<typeof setupInput>;

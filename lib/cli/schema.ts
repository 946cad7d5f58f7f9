import { z } from 'zod';
import { exportFormat } from '@/lib/audit/filters';
import { emailField, newPasswordField, personNameField } from '@/lib/auth/schema';
import { ROLES } from '@/lib/auth/roles';
import { organizationNameField, organizationSlugField } from '@/lib/organizations/schema';

export const cliOrgCreate = z.strictObject({ name: organizationNameField, slug: organizationSlugField.optional() });
export const cliUserCreate = z.strictObject({
  email: emailField,
  name: personNameField,
  password: newPasswordField,
  org: organizationSlugField.optional(),
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }).optional(),
});
export const cliMemberAdd = z.strictObject({
  org: organizationSlugField,
  email: emailField,
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
});
export const cliAuditVerify = z.strictObject({ org: organizationSlugField });
export const cliAuditInstance = z.strictObject({
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, { error: '--limit is a whole number from 1 to 1000' })
    .transform(Number)
    .pipe(z.number().max(1000, { error: '--limit is a whole number from 1 to 1000' }))
    .optional(),
});
export const cliAuditExport = z.strictObject({
  org: organizationSlugField,
  format: exportFormat,
  out: z.string().min(1, { error: '--out names the file to write' }),
});

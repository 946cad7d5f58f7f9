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
export const cliAuditVerifyStream = z.strictObject({
  file: z.string().min(1, { error: 'name the NDJSON capture: audit verify-stream FILE --jwks URL|FILE' }),
  jwks: z.string().min(1, { error: '--jwks is the JWKS URL (…/.well-known/jwks.json) or a file' }),
});
export const cliAuditExport = z.strictObject({
  org: organizationSlugField,
  format: exportFormat,
  out: z.string().min(1, { error: '--out names the file to write' }),
});

// Federated credentials (issue 12): the policy is the management API's body, read from a JSON file.
const cliAccount = z.string().regex(/^sa_[0-9A-Z]{26}$/, { error: '--account is a service account id (sa_…)' });
const cliFederatedId = z
  .string()
  .regex(/^fc_[0-9A-Z]{26}$/, { error: '--credential is a federated credential id (fc_…)' });
export const cliFederatedList = z.strictObject({ org: organizationSlugField, account: cliAccount });
export const cliFederatedCreate = z.strictObject({
  org: organizationSlugField,
  account: cliAccount,
  policy: z.string().min(1, { error: '--policy is a JSON file with the policy (the API body)' }),
});
export const cliFederatedTest = z.strictObject({
  org: organizationSlugField,
  account: cliAccount,
  token: z.string().min(1, { error: '--token is a file holding the external token' }),
  credential: cliFederatedId.optional(),
});
export const cliFederatedChange = z.strictObject({
  org: organizationSlugField,
  account: cliAccount,
  credential: cliFederatedId,
});

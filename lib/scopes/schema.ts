import { z } from 'zod';

const scopeName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'Use 1 to 64 letters, digits, and _ . : - (no spaces).' });
const description = z.string().trim().max(300, { error: 'Use at most 300 characters.' });

export const scopeIdField = z.string().regex(/^scp_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not a scope id.' });
export const scopeParams = z.object({ scopeId: scopeIdField });

/** createScopeInput adds a scope to the organization's catalog (API, console). */
export const createScopeInput = z
  .strictObject({ name: scopeName, description: description.default('') })
  .meta({ id: 'CreateScopeInput' });
export type CreateScopeInput = z.infer<typeof createScopeInput>;

/** updateScopeInput renames a scope, changes its description, or retires / restores it. */
export const updateScopeInput = z
  .strictObject({
    name: scopeName.optional(),
    description: description.optional(),
    retired: z.boolean().optional().meta({
      description: 'true retires the scope (granted to nobody new, put into no token); false restores it.',
    }),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined || v.retired !== undefined, {
    error: 'Give a new name, a description or retired.',
  })
  .meta({ id: 'UpdateScopeInput' });
export type UpdateScopeInput = z.infer<typeof updateScopeInput>;

export const scopeDto = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    isManagement: z
      .boolean()
      .meta({ description: 'A built-in scope of the management API: not renamable or retirable.' }),
    retiredAt: z.string().nullable(),
    accounts: z.number().int().meta({ description: 'How many service accounts hold it.' }),
  })
  .meta({ id: 'Scope' });
export type ScopeDto = z.infer<typeof scopeDto>;

/** The console's forms, naming the scope by its id. */
export const renameScopeForm = z.object({ scopeId: scopeIdField, name: scopeName });
export const scopeIdForm = z.object({ scopeId: scopeIdField });
export const retireScopeForm = z.object({ scopeId: scopeIdField, retired: z.enum(['true', 'false']) });

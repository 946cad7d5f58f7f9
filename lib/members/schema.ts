import { z } from 'zod';
import { emailField, newPasswordField, personNameField } from '@/lib/auth/schema';
import { ROLES } from '@/lib/auth/roles';

const roleField = z.enum(ROLES, { error: `Choose one of ${ROLES.join(', ')}.` });

/**
 * addMemberInput adds a person to the organization. An existing user (by email) just gains the
 * role; a new one is created with the given name and initial password, which the owner hands
 * over out of band (Latchkey sends no email).
 */
export const addMemberInput = z
  .strictObject({
    email: emailField,
    role: roleField,
    name: personNameField.optional(),
    password: newPasswordField.optional(),
  })
  .meta({ id: 'AddMemberInput' });
export type AddMemberInput = z.infer<typeof addMemberInput>;

export const changeRoleInput = z.strictObject({ role: roleField }).meta({ id: 'ChangeMemberRoleInput' });

/** resetPasswordInput: the new initial password an owner hands over. */
export const resetPasswordInput = z
  .strictObject({ password: newPasswordField })
  .meta({ id: 'ResetMemberPasswordInput' });

/** changeOwnPasswordInput: the signed-in person's current and new password. */
export const changeOwnPasswordInput = z
  .strictObject({
    currentPassword: z
      .string({ error: 'Enter your current password.' })
      .min(1, { error: 'Enter your current password.' })
      .max(256),
    newPassword: newPasswordField,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    error: 'The two new passwords differ.',
    path: ['confirmPassword'],
  });
export const memberParams = z.object({
  userId: z.string().regex(/^usr_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'Not a user id.' }),
});

export const memberDto = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleField,
    since: z.string(),
    twoFactor: z.boolean(),
  })
  .meta({ id: 'Member' });
export type MemberDto = z.infer<typeof memberDto>;

/** The console form: empty optional fields arrive as empty strings. */
export const addMemberForm = z
  .object({
    email: z.string().default(''),
    role: z.string().default(''),
    name: z.string().default(''),
    password: z.string().default(''),
  })
  .transform((v): z.input<typeof addMemberInput> => ({
    email: v.email,
    role: v.role as z.input<typeof addMemberInput>['role'],
    ...(v.name.trim() ? { name: v.name } : {}),
    ...(v.password ? { password: v.password } : {}),
  }))
  .pipe(addMemberInput);

import { z } from 'zod';
import { nameField } from '@/lib/validation/names';

export const emailField = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, { error: 'Enter your email address.' })
  .max(254, { error: 'Email addresses are at most 254 characters.' })
  .pipe(z.email({ error: 'Enter a valid email address.' }))
  .transform((email) => email.toLowerCase());

export const newPasswordField = z
  .string({ error: 'Choose a password.' })
  .min(12, { error: 'Use at least 12 characters.' })
  .max(256, { error: 'Use at most 256 characters.' });

export const personNameField = nameField({ required: 'Enter your name.' });

/** totpCodeField is a 6-digit authenticator code; spaces are ignored. */
export const totpCodeField = z
  .string()
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { error: 'Enter the 6-digit code from your authenticator app.' }));

/** signInCodeField is what the sign-in form's code field takes: an authenticator code or a recovery code (XXXXX-XXXXX). */
export const signInCodeField = z
  .string()
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(
    z.string().regex(/^(\d{6}|[0-9A-Za-z]{5}-?[0-9A-Za-z]{5})$/, {
      error: 'Enter the 6-digit code from your authenticator app, or a recovery code.',
    }),
  );

/** signInInput is the sign-in form, checked in the browser and again on the server. */
export const signInInput = z.object({
  email: emailField,
  password: z
    .string({ error: 'Enter your password.' })
    .min(1, { error: 'Enter your password.' })
    .max(256, { error: 'Use at most 256 characters.' }),
  /** The authenticator code, for members who turned on two-factor authentication. */
  code: signInCodeField.optional(),
});
export type SignInInput = z.infer<typeof signInInput>;

/** Messages for the error codes the sign-in endpoint returns; anything else is generic. */
export const SIGN_IN_ERROR_MESSAGES: Record<string, string> = {
  invalid_credentials: 'Incorrect email or password.',
  rate_limited: 'Too many sign-in attempts. Wait a few minutes, then try again.',
  validation_failed: 'Enter your email address and password.',
  totp_required: 'Enter the 6-digit code from your authenticator app.',
  invalid_totp: 'That code is not valid. Enter the current code from your authenticator app, or a recovery code.',
  totp_reused: 'That code was used already: wait for the next code from your app.',
  sso_not_provisioned: 'Your single sign-on account is not linked to a Latchkey user. Ask an owner to add you.',
  no_organization: 'Your account is not a member of any organization. Ask an owner to add you.',
  SessionRequired: 'Sign in to continue.',
  password_changed: 'Your password was changed and your sessions ended: sign in with the new password.',
};

export function signInErrorMessage(code: string): string {
  return SIGN_IN_ERROR_MESSAGES[code] ?? 'Sign-in failed. Try again.';
}

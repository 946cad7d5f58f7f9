'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineUserAction } from '@/lib/actions/define-action';
import { changeOwnPassword } from '@/lib/auth/change-password';
import { totpCodeField } from '@/lib/auth/schema';
import { changeOwnPasswordInput } from '@/lib/members/schema';
import {
  confirmTotpEnrollment,
  disableTotp,
  regenerateRecoveryCodes,
  startTotpEnrollment,
} from '@/lib/auth/two-factor';

const codeInput = z.object({ code: totpCodeField });

// Two-factor authentication for the signed-in person: start, confirm, turn off.
export const startTotpAction = defineUserAction({ input: z.object({}) }, async (user) => {
  await startTotpEnrollment(user.id);
  revalidatePath('/orgs/[orgSlug]/account', 'page');
});

// Returns the recovery codes, shown once; the page refreshes when their dialog closes (a
// revalidation here would unmount the form that holds them before they were seen).
export const confirmTotpAction = defineUserAction({ input: codeInput }, async (user, { code }, meta) =>
  confirmTotpEnrollment(user.id, code, meta),
);

export const regenerateRecoveryCodesAction = defineUserAction({ input: codeInput }, async (user, { code }, meta) =>
  regenerateRecoveryCodes(user.id, code, meta),
);

export const disableTotpAction = defineUserAction({ input: codeInput }, async (user, { code }, meta) => {
  await disableTotp(user.id, code, meta);
  revalidatePath('/orgs/[orgSlug]/account', 'page');
});

// Ends every session of this person, this one included: the form then sends them to sign in again.
export const changePasswordAction = defineUserAction(
  { input: changeOwnPasswordInput },
  async (user, { currentPassword, newPassword }, meta) =>
    changeOwnPassword(user.id, { currentPassword, newPassword }, meta),
);

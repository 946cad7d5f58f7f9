'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineUserAction } from '@/lib/actions/define-action';
import { totpCodeField } from '@/lib/auth/schema';
import { confirmTotpEnrollment, disableTotp, startTotpEnrollment } from '@/lib/auth/two-factor';

const codeInput = z.object({ code: totpCodeField });

// Two-factor authentication for the signed-in person: start, confirm, turn off.
export const startTotpAction = defineUserAction({ input: z.object({}) }, async (user) => {
  await startTotpEnrollment(user.id);
  revalidatePath('/orgs/[orgSlug]/account', 'page');
});

export const confirmTotpAction = defineUserAction({ input: codeInput }, async (user, { code }, meta) => {
  await confirmTotpEnrollment(user.id, code, meta);
  revalidatePath('/orgs/[orgSlug]/account', 'page');
});

export const disableTotpAction = defineUserAction({ input: codeInput }, async (user, { code }, meta) => {
  await disableTotp(user.id, code, meta);
  revalidatePath('/orgs/[orgSlug]/account', 'page');
});

'use server';

import { definePublicAction } from '@/lib/actions/define-action';
import { completeSetup } from '@/lib/setup/complete-setup';
import { setupInput } from '@/lib/setup/schema';

// First-run setup: creates the first organization and its owner, once.
export const completeSetupAction = definePublicAction({ input: setupInput }, async (meta, input) => {
  const { user, organization } = await completeSetup(input, meta);
  return { email: user.email, orgSlug: organization.slug };
});

'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { defineAction } from '@/lib/actions/define-action';
import { createOemCredential } from '@/lib/oem/create-oem-credential';
import { deleteOemCredential } from '@/lib/oem/delete-oem-credential';
import { createOemCredentialForm, oemCredentialRef, updateOemCredentialForm } from '@/lib/oem/schema';
import { updateOemCredentialSecret } from '@/lib/oem/update-oem-credential-secret';
import { paths } from '@/lib/paths';

// Store a new OEM credential; only its name and id come back, never the secret.
export const createOemCredentialAction = defineAction(
  { input: createOemCredentialForm, permission: 'oem_credentials.write' },
  async (ctx, { brand, ...input }) => {
    const credential = await createOemCredential(ctx, brand, input);
    revalidatePath(paths.oemCredentials(ctx.orgSlug));
    return { id: credential.id, name: credential.name };
  },
);

// Replace a credential's client secret.
export const updateOemCredentialSecretAction = defineAction(
  { input: updateOemCredentialForm, permission: 'oem_credentials.write' },
  async (ctx, { id, client_secret }) => {
    await updateOemCredentialSecret(ctx, id, { client_secret });
    revalidatePath(paths.oemCredential(ctx.orgSlug, id));
  },
);

// Delete a credential no vehicle uses (the error names the vehicles otherwise).
export const deleteOemCredentialAction = defineAction(
  { input: oemCredentialRef, permission: 'oem_credentials.write' },
  async (ctx, { id }): Promise<void> => {
    await deleteOemCredential(ctx, id);
    revalidatePath(paths.oemCredentials(ctx.orgSlug));
    redirect(paths.oemCredentials(ctx.orgSlug));
  },
);

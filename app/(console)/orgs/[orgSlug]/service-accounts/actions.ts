'use server';

import { revalidatePath } from 'next/cache';
import type { OrgContext } from '@/lib/auth/context';
import { defineAction } from '@/lib/actions/define-action';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { createKeyPair } from '@/lib/credentials/create-key-pair';
import { createTokenPair } from '@/lib/credentials/create-token-pair';
import { rotateClientSecret } from '@/lib/credentials/rotate-client-secret';
import { deleteCredential, setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { createFederatedCredential } from '@/lib/federation/create-federated-credential';
import { testFederatedToken } from '@/lib/federation/queries';
import {
  createFederatedCredentialForm,
  federatedCredentialRef,
  setFederatedStatusForm,
  testFederatedTokenForm,
} from '@/lib/federation/schema';
import { paths } from '@/lib/paths';
import { createServiceAccount } from '@/lib/service-accounts/create-service-account';
import {
  accountRef,
  createClientSecretForm,
  createKeyPairForm,
  createServiceAccountForm,
  createTokenPairForm,
  keyRef,
  liveTokenRef,
  revokeServiceAccountForm,
  rotateClientSecretForm,
  secretRef,
  setKeyStatusForm,
  setSecretStatusForm,
  setTokenPairStatusForm,
  tokenPairRef,
  updateServiceAccountForm,
} from '@/lib/service-accounts/schema';
import {
  reactivateServiceAccount,
  revokeServiceAccount,
  suspendServiceAccount,
} from '@/lib/service-accounts/set-service-account-status';
import { updateServiceAccount } from '@/lib/service-accounts/update-service-account';
import { revokeLiveToken } from '@/lib/tokens/live-tokens';

const write = 'service_accounts.write' as const;

function refresh(ctx: OrgContext, accountId?: string) {
  revalidatePath(paths.serviceAccounts(ctx.orgSlug));
  revalidatePath(paths.org(ctx.orgSlug));
  if (accountId) revalidatePath(paths.serviceAccount(ctx.orgSlug, accountId));
}

export const createServiceAccountAction = defineAction(
  { input: createServiceAccountForm, permission: write },
  async (ctx, input) => {
    const account = await createServiceAccount(ctx, input);
    refresh(ctx);
    return { id: account.id };
  },
);

export const updateServiceAccountAction = defineAction(
  { input: updateServiceAccountForm, permission: write },
  async (ctx, { accountId, ...input }) => {
    await updateServiceAccount(ctx, accountId, input);
    refresh(ctx, accountId);
    return { id: accountId };
  },
);

export const suspendServiceAccountAction = defineAction(
  { input: accountRef, permission: write },
  async (ctx, { accountId }) => {
    await suspendServiceAccount(ctx, accountId);
    refresh(ctx, accountId);
  },
);

export const reactivateServiceAccountAction = defineAction(
  { input: accountRef, permission: write },
  async (ctx, { accountId }) => {
    await reactivateServiceAccount(ctx, accountId);
    refresh(ctx, accountId);
  },
);

export const revokeServiceAccountAction = defineAction(
  { input: revokeServiceAccountForm, permission: write },
  async (ctx, { accountId, confirmName }) => {
    await revokeServiceAccount(ctx, accountId, confirmName);
    refresh(ctx, accountId);
  },
);

// The secret is returned once, in the action result: the client keeps it in component state only.
export const createClientSecretAction = defineAction(
  { input: createClientSecretForm, permission: write },
  async (ctx, { accountId, ...input }) => {
    const created = await createClientSecret(ctx, accountId, input);
    refresh(ctx, accountId);
    return created;
  },
);

export const rotateClientSecretAction = defineAction(
  { input: rotateClientSecretForm, permission: write },
  async (ctx, { accountId, secretId, ...input }) => {
    const rotated = await rotateClientSecret(ctx, accountId, secretId, input);
    refresh(ctx, accountId);
    return rotated;
  },
);

export const setClientSecretStatusAction = defineAction(
  { input: setSecretStatusForm, permission: write },
  async (ctx, { accountId, secretId, status }) => {
    await setCredentialStatus(ctx, 'client_secret', accountId, secretId, status);
    refresh(ctx, accountId);
  },
);

export const deleteClientSecretAction = defineAction(
  { input: secretRef, permission: write },
  async (ctx, { accountId, secretId }) => {
    await deleteCredential(ctx, 'client_secret', accountId, secretId);
    refresh(ctx, accountId);
  },
);

export const createKeyPairAction = defineAction(
  { input: createKeyPairForm, permission: write },
  async (ctx, { accountId, ...input }) => {
    const created = await createKeyPair(ctx, accountId, input);
    refresh(ctx, accountId);
    return created;
  },
);

export const setKeyPairStatusAction = defineAction(
  { input: setKeyStatusForm, permission: write },
  async (ctx, { accountId, keyId, status }) => {
    await setCredentialStatus(ctx, 'key_pair', accountId, keyId, status);
    refresh(ctx, accountId);
  },
);

export const deleteKeyPairAction = defineAction(
  { input: keyRef, permission: write },
  async (ctx, { accountId, keyId }) => {
    await deleteCredential(ctx, 'key_pair', accountId, keyId);
    refresh(ctx, accountId);
  },
);

export const createTokenPairAction = defineAction(
  { input: createTokenPairForm, permission: write },
  async (ctx, { accountId, ...input }) => {
    const created = await createTokenPair(ctx, accountId, input);
    refresh(ctx, accountId);
    return created;
  },
);

export const setTokenPairStatusAction = defineAction(
  { input: setTokenPairStatusForm, permission: write },
  async (ctx, { accountId, pairId, status }) => {
    await setCredentialStatus(ctx, 'client_token_pair', accountId, pairId, status);
    refresh(ctx, accountId);
  },
);

export const deleteTokenPairAction = defineAction(
  { input: tokenPairRef, permission: write },
  async (ctx, { accountId, pairId }) => {
    await deleteCredential(ctx, 'client_token_pair', accountId, pairId);
    refresh(ctx, accountId);
  },
);

export const createFederatedCredentialAction = defineAction(
  { input: createFederatedCredentialForm, permission: write },
  async (ctx, { accountId, ...input }) => {
    const created = await createFederatedCredential(ctx, accountId, input);
    refresh(ctx, accountId);
    return { id: created.id };
  },
);

export const setFederatedCredentialStatusAction = defineAction(
  { input: setFederatedStatusForm, permission: write },
  async (ctx, { accountId, credentialId, status }) => {
    await setCredentialStatus(ctx, 'federated_credential', accountId, credentialId, status);
    refresh(ctx, accountId);
  },
);

export const deleteFederatedCredentialAction = defineAction(
  { input: federatedCredentialRef, permission: write },
  async (ctx, { accountId, credentialId }) => {
    await deleteCredential(ctx, 'federated_credential', accountId, credentialId);
    refresh(ctx, accountId);
  },
);

/** The dry-run tester: nothing is issued or stored, so reading the account is enough. */
export const testFederatedTokenAction = defineAction(
  { input: testFederatedTokenForm, permission: 'service_accounts.read' },
  async (ctx, { accountId, ...input }) => testFederatedToken(ctx, accountId, input),
);

export const revokeLiveTokenAction = defineAction(
  { input: liveTokenRef, permission: write },
  async (ctx, { accountId, jti }) => {
    await revokeLiveToken(ctx, accountId, jti);
    revalidatePath(paths.serviceAccountTokens(ctx.orgSlug, accountId));
  },
);

// Seeds one organization with a service account and each kind of credential, for the browser-
// free interoperability spec (e2e/oauth-interop.spec.ts), and prints them as JSON. Run with
// `tsx --conditions=react-server lib/testing/oauth-seed.ts` against DATABASE_URL, with the same
// LATCHKEY_MASTER_KEYS as the server (credential hashes are keyed with it).
import { exportJWK } from 'jose';
import { db } from '@/lib/db/client';
import { createTestOrg } from './factories';
import {
  createAccount,
  createClientSecret,
  createClientTokenPair,
  createKeyPair,
  createProject,
} from './oauth-factories';

const org = await createTestOrg();
const account = await createAccount(org, { scopes: ['TILE', 'MATRIX'], platform: 'WEB' });
const secret = await createClientSecret(account);
const key = await createKeyPair(account);
const pair = await createClientTokenPair(account);
const project = await createProject(org, account);
console.log(
  JSON.stringify({
    orgId: org.id,
    accountId: account.id,
    secret,
    keyPair: { id: key.id, privateJwk: await exportJWK(key.privateKey) },
    pair,
    ...project,
  }),
);
await db.$disconnect();

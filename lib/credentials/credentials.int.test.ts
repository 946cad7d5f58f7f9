import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, importPKCS8, importJWK, jwtVerify, calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { keyedHash, keyedHashEquals } from '@/lib/crypto/keyed-hash';
import { db } from '@/lib/db/client';
import { tokenUrl } from '@/lib/issuer';
import {
  getServiceAccount,
  listClientSecrets,
  listExpiringCredentials,
  listKeyPairs,
  listServiceAccounts,
  listTokenPairs,
} from '@/lib/service-accounts/queries';
import {
  createClientSecretInput,
  listServiceAccountsQuery,
  rotateClientSecretInput,
} from '@/lib/service-accounts/schema';
import {
  auditEventsOf,
  auditText,
  createTestServiceAccount,
  orgWithRoles,
} from '@/lib/testing/service-account-fixtures';
import { createClientSecret } from './create-client-secret';
import { createKeyPair } from './create-key-pair';
import { createTokenPair } from './create-token-pair';
import { rotateClientSecret } from './rotate-client-secret';
import { isWellFormedSecret, secretHint } from './secret-format';
import { deleteCredential, setCredentialStatus } from './set-credential-status';

const DAY = 86_400_000;
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code?: string }) => e.code ?? String(e),
  );
const fieldsOf = async (p: Promise<unknown>): Promise<Record<string, string[]>> =>
  p.then(
    () => ({}),
    (e: { fields?: Record<string, string[]> }) => e.fields ?? {},
  );

describe('client secrets', () => {
  it('issues a well-formed secret once, stores only its keyed hash, defaults to 2 years, audits without the secret', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const before = Date.now();
    const { clientSecret, secret } = await createClientSecret(
      adminCtx,
      account.id,
      createClientSecretInput.parse({ name: 'prod' }),
    );
    expect(clientSecret.id).toMatch(/^kid_[0-9A-Z]{26}$/);
    expect(isWellFormedSecret('clientSecret', secret)).toBe(true);
    expect(clientSecret).toMatchObject({
      name: 'prod',
      status: 'ENABLED',
      hint: secretHint(secret),
      expiringSoon: false,
      lastUsedAt: null,
    });
    expect(JSON.stringify(clientSecret)).not.toContain(secret);
    const expires = new Date(clientSecret.expiresAt).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 730 * DAY);
    expect(expires).toBeLessThan(Date.now() + 730 * DAY + 1000);

    const row = await db.clientSecret.findUniqueOrThrow({ where: { id: clientSecret.id } });
    expect(keyedHashEquals(secret, row.secretHash, row.hashKeyVersion)).toBe(true);
    expect(Buffer.from(row.secretHash).equals(keyedHash(secret).hash)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(secret);

    const event = (await auditEventsOf(org.id)).at(-1);
    expect(event).toMatchObject({ action: 'client_secret.created', targetId: clientSecret.id });
    expect(await auditText(org.id)).not.toContain(secret);
    expect(await auditText(org.id)).not.toContain(secret.slice(7, 40));
  });

  it('caps the expiry at the organization maximum and refuses beyond it or in the past', async () => {
    const { org, adminCtx } = await orgWithRoles();
    await db.organization.update({ where: { id: org.id }, data: { maxCredentialLifetimeDays: 90 } });
    const account = await createTestServiceAccount(adminCtx);
    const { clientSecret } = await createClientSecret(adminCtx, account.id, { name: 'capped' });
    expect(new Date(clientSecret.expiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 90 * DAY);
    const far = createClientSecretInput.parse({
      name: 'far',
      expiresAt: new Date(Date.now() + 91 * DAY).toISOString(),
    });
    const fields = await fieldsOf(createClientSecret(adminCtx, account.id, far));
    expect(fields.expiresAt?.[0]).toMatch(/at most 90 days/);
    expect(
      await fieldsOf(
        createClientSecret(adminCtx, account.id, { name: 'past', expiresAt: new Date(Date.now() - 1000) }),
      ),
    ).toHaveProperty('expiresAt');
    const ok = await createClientSecret(
      adminCtx,
      account.id,
      createClientSecretInput.parse({
        name: 'date',
        expiresAt: new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10),
      }),
    );
    expect(ok.clientSecret.expiresAt).toMatch(/T23:59:59.000Z$/);
    expect(createClientSecretInput.safeParse({ name: 'x', expiresAt: 'tomorrow' }).success).toBe(false);
    expect(await db.clientSecret.count({ where: { serviceAccountId: account.id } })).toBe(2);
  });

  it('allows 10 enabled secrets per account, then limit_exceeded; disabling frees a slot; enabling respects the limit', async () => {
    const { adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push((await createClientSecret(adminCtx, account.id, { name: `s${i}` })).clientSecret.id);
    expect(await codeOf(createClientSecret(adminCtx, account.id, { name: 'eleventh' }))).toBe('limit_exceeded');
    const first = ids[0] ?? '';
    await setCredentialStatus(adminCtx, 'client_secret', account.id, first, 'DISABLED');
    const eleventh = await createClientSecret(adminCtx, account.id, { name: 'eleventh' });
    expect(eleventh.clientSecret.status).toBe('ENABLED');
    expect(await codeOf(setCredentialStatus(adminCtx, 'client_secret', account.id, first, 'ENABLED'))).toBe(
      'limit_exceeded',
    );
    expect(
      await codeOf(rotateClientSecret(adminCtx, account.id, ids[1] ?? '', rotateClientSecretInput.parse({}))),
    ).toBe('limit_exceeded');
    expect(await db.clientSecret.count({ where: { serviceAccountId: account.id } })).toBe(11);
  });

  it('rotates: a new secret, the old one expiring after the grace period, one audit event', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const old = await createClientSecret(adminCtx, account.id, { name: 'main' });
    const now = Date.now();
    const rotated = await rotateClientSecret(
      adminCtx,
      account.id,
      old.clientSecret.id,
      rotateClientSecretInput.parse({ gracePeriodHours: 24 }),
    );
    expect(rotated.secret).not.toBe(old.secret);
    expect(isWellFormedSecret('clientSecret', rotated.secret)).toBe(true);
    expect(rotated.clientSecret).toMatchObject({ name: 'main', status: 'ENABLED' });
    const graceEnd = new Date(rotated.previous.expiresAt).getTime();
    expect(graceEnd).toBeGreaterThanOrEqual(now + 24 * 3_600_000 - 1000);
    expect(graceEnd).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);
    expect(rotated.previous.expiringSoon).toBe(true);
    // Each side of the rotation names the other, in the answer and in the list.
    expect(rotated.clientSecret).toMatchObject({ replacesId: old.clientSecret.id, replacedById: null });
    expect(rotated.previous).toMatchObject({ replacesId: null, replacedById: rotated.clientSecret.id });
    const listed = await listClientSecrets(adminCtx, account.id);
    expect(listed.find((s) => s.id === old.clientSecret.id)?.replacedById).toBe(rotated.clientSecret.id);
    expect(old.clientSecret).toMatchObject({ replacesId: null, replacedById: null });
    const events = await auditEventsOf(org.id);
    expect(events.at(-1)).toMatchObject({ action: 'client_secret.rotated', targetId: old.clientSecret.id });
    expect(events.at(-1)?.details).toMatchObject({ newSecretId: rotated.clientSecret.id, gracePeriodHours: 24 });
    expect(events.filter((e) => e.action.startsWith('client_secret.')).length).toBe(2);
    const text = await auditText(org.id);
    expect(text).not.toContain(old.secret);
    expect(text).not.toContain(rotated.secret);

    // Grace 0: the old secret expires now. A disabled secret cannot be rotated. Bad grace refused.
    const zero = await rotateClientSecret(
      adminCtx,
      account.id,
      rotated.clientSecret.id,
      rotateClientSecretInput.parse({ gracePeriodHours: 0 }),
    );
    expect(zero.previous.expired).toBe(true);
    expect(zero.previous).toMatchObject({ replacesId: old.clientSecret.id, replacedById: zero.clientSecret.id });
    // Deleting the first secret of the chain keeps the others and drops the link to it.
    await deleteCredential(adminCtx, 'client_secret', account.id, old.clientSecret.id);
    const after = await listClientSecrets(adminCtx, account.id);
    expect(after.find((s) => s.id === rotated.clientSecret.id)?.replacesId).toBeNull();
    await setCredentialStatus(adminCtx, 'client_secret', account.id, zero.clientSecret.id, 'DISABLED');
    expect(
      await codeOf(rotateClientSecret(adminCtx, account.id, zero.clientSecret.id, rotateClientSecretInput.parse({}))),
    ).toBe('invalid_state');
    expect(rotateClientSecretInput.safeParse({ gracePeriodHours: 5 }).success).toBe(false);
    expect(rotateClientSecretInput.safeParse({ gracePeriodHours: '24' }).success).toBe(false);
  });

  it('enables, disables and deletes, auditing each; AUDITOR forbidden; other accounts and organizations not_found', async () => {
    const { org, adminCtx, auditorCtx } = await orgWithRoles();
    const theirs = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const sibling = await createTestServiceAccount(adminCtx);
    const { clientSecret } = await createClientSecret(adminCtx, account.id, { name: 'x' });
    expect(await codeOf(createClientSecret(auditorCtx, account.id, { name: 'y' }))).toBe('forbidden');
    expect(
      await codeOf(setCredentialStatus(auditorCtx, 'client_secret', account.id, clientSecret.id, 'DISABLED')),
    ).toBe('forbidden');
    expect(await codeOf(deleteCredential(auditorCtx, 'client_secret', account.id, clientSecret.id))).toBe('forbidden');
    expect(
      await codeOf(rotateClientSecret(auditorCtx, account.id, clientSecret.id, rotateClientSecretInput.parse({}))),
    ).toBe('forbidden');
    // The secret through the wrong account, and from another organization.
    expect(await codeOf(setCredentialStatus(adminCtx, 'client_secret', sibling.id, clientSecret.id, 'DISABLED'))).toBe(
      'not_found',
    );
    expect(
      await codeOf(setCredentialStatus(theirs.adminCtx, 'client_secret', account.id, clientSecret.id, 'DISABLED')),
    ).toBe('not_found');
    expect(await codeOf(deleteCredential(theirs.adminCtx, 'client_secret', account.id, clientSecret.id))).toBe(
      'not_found',
    );
    expect(await codeOf(createClientSecret(theirs.adminCtx, account.id, { name: 'z' }))).toBe('not_found');
    expect(await codeOf(listClientSecrets(theirs.adminCtx, account.id))).toBe('not_found');

    expect((await setCredentialStatus(adminCtx, 'client_secret', account.id, clientSecret.id, 'DISABLED')).status).toBe(
      'DISABLED',
    );
    expect((await setCredentialStatus(adminCtx, 'client_secret', account.id, clientSecret.id, 'ENABLED')).status).toBe(
      'ENABLED',
    );
    await deleteCredential(adminCtx, 'client_secret', account.id, clientSecret.id);
    expect(await listClientSecrets(auditorCtx, account.id)).toEqual([]);
    const actions = (await auditEventsOf(org.id)).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(['client_secret.disabled', 'client_secret.enabled', 'client_secret.deleted']);
  });
});

describe('key pairs', () => {
  it('generates an ES256 pair: the private key handed over once in a config, only the public JWK stored', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const { keyPair, config } = await createKeyPair(adminCtx, account.id, { name: 'ci' });
    expect(keyPair).toMatchObject({ name: 'ci', origin: 'GENERATED', algorithm: 'ES256', status: 'ENABLED' });
    expect(keyPair.id).toMatch(/^kp_/);
    expect(config).toMatchObject({
      type: 'latchkey_service_account_key',
      key_id: keyPair.id,
      // High Mobility's console names for the same id, which their examples read.
      id: keyPair.id,
      client_id: keyPair.id,
      service_account_id: account.id,
      token_url: tokenUrl(),
      algorithm: 'ES256',
    });
    const pem = config?.private_key ?? '';
    expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
    // The handed-over private key signs what the stored public key verifies, and the thumbprint matches.
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(keyPair.id)
      .sign(await importPKCS8(pem, 'ES256'));
    const row = await db.keyPair.findUniqueOrThrow({ where: { id: keyPair.id } });
    expect(Object.keys(row.publicKeyJwk as object).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    await expect(
      jwtVerify(jwt, await importJWK(row.publicKeyJwk as Record<string, string>, 'ES256')),
    ).resolves.toBeTruthy();
    expect(row.thumbprint).toBe(await calculateJwkThumbprint(row.publicKeyJwk as Record<string, string>, 'sha256'));
    const d = createPrivateKey(pem).export({ format: 'jwk' }).d ?? '';
    const text = await auditText(org.id);
    expect(text).not.toContain(d);
    expect(text).not.toContain('PRIVATE KEY');
    expect((await auditEventsOf(org.id)).at(-1)).toMatchObject({ action: 'key_pair.created', targetId: keyPair.id });
    expect(JSON.stringify(await listKeyPairs(adminCtx, account.id))).not.toContain(d);
  });

  it('uploads a public key (PEM or JWK), refuses private keys and other algorithms, and a duplicate is a conflict', async () => {
    const { org, adminCtx, auditorCtx } = await orgWithRoles();
    const theirs = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const { keyPair, config } = await createKeyPair(adminCtx, account.id, { name: 'mine', publicKey: pem });
    expect(config).toBeNull();
    expect(keyPair.origin).toBe('UPLOADED');
    expect((await auditEventsOf(org.id)).at(-1)?.action).toBe('key_pair.uploaded');
    expect(
      await codeOf(
        createKeyPair(adminCtx, account.id, {
          name: 'again',
          publicKey: pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
        }),
      ),
    ).toBe('conflict');
    // Another organization may register the same public key: its answer must not reveal ours.
    const theirAccount = await createTestServiceAccount(theirs.adminCtx);
    expect(
      (await createKeyPair(theirs.adminCtx, theirAccount.id, { name: 'same key', publicKey: pem })).keyPair.origin,
    ).toBe('UPLOADED');
    expect(
      await codeOf(
        createKeyPair(adminCtx, account.id, {
          name: 'private',
          publicKey: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        }),
      ),
    ).toBe('invalid_key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString();
    expect(await fieldsOf(createKeyPair(adminCtx, account.id, { name: 'rsa', publicKey: rsa }))).toHaveProperty(
      'publicKey',
    );
    const jwk2 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<
      string,
      unknown
    >;
    expect((await createKeyPair(adminCtx, account.id, { name: 'jwk', publicKey: jwk2 })).keyPair.origin).toBe(
      'UPLOADED',
    );
    expect(await codeOf(createKeyPair(auditorCtx, account.id, { name: 'no' }))).toBe('forbidden');
    expect(await codeOf(createKeyPair(theirs.adminCtx, account.id, { name: 'no' }))).toBe('not_found');
    await setCredentialStatus(adminCtx, 'key_pair', account.id, keyPair.id, 'DISABLED');
    await deleteCredential(adminCtx, 'key_pair', account.id, keyPair.id);
    expect((await listKeyPairs(adminCtx, account.id)).map((k) => k.name)).toEqual(['jwk']);
    const actions = (await auditEventsOf(org.id)).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(['key_pair.uploaded', 'key_pair.disabled', 'key_pair.deleted']);
  });
});

describe('client token pairs', () => {
  it('issues a client token and a hashed server token to a client-platform account; a SERVER account is refused', async () => {
    const { org, adminCtx, auditorCtx } = await orgWithRoles();
    const web = await createTestServiceAccount(adminCtx, { platform: 'WEB' });
    const server = await createTestServiceAccount(adminCtx, { platform: 'SERVER' });
    const { tokenPair, serverToken } = await createTokenPair(adminCtx, web.id, {});
    expect(isWellFormedSecret('clientToken', tokenPair.clientToken)).toBe(true);
    expect(isWellFormedSecret('serverToken', serverToken)).toBe(true);
    const row = await db.clientTokenPair.findUniqueOrThrow({ where: { id: tokenPair.id } });
    expect(row.clientToken).toBe(tokenPair.clientToken);
    expect(keyedHashEquals(serverToken, row.serverTokenHash, row.hashKeyVersion)).toBe(true);
    expect(JSON.stringify(await listTokenPairs(auditorCtx, web.id))).not.toContain(serverToken);
    expect(await auditText(org.id)).not.toContain(serverToken);
    expect((await auditEventsOf(org.id)).at(-1)).toMatchObject({
      action: 'client_token_pair.created',
      targetId: tokenPair.id,
    });
    expect(await codeOf(createTokenPair(adminCtx, server.id, {}))).toBe('invalid_request');
    expect(await codeOf(createTokenPair(auditorCtx, web.id, {}))).toBe('forbidden');
    await setCredentialStatus(adminCtx, 'client_token_pair', web.id, tokenPair.id, 'DISABLED');
    await deleteCredential(adminCtx, 'client_token_pair', web.id, tokenPair.id);
    expect(await listTokenPairs(adminCtx, web.id)).toEqual([]);
  });
});

describe('expiry warnings', () => {
  it('flags enabled credentials expiring within 14 days in the list and on the dashboard, for this organization only', async () => {
    const { adminCtx, auditorCtx } = await orgWithRoles();
    const theirs = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx, { name: 'expiring', platform: 'IOS' });
    const quiet = await createTestServiceAccount(adminCtx, { name: 'quiet' });
    const soon = new Date(Date.now() + 5 * DAY);
    await createClientSecret(adminCtx, account.id, { name: 'soon', expiresAt: soon });
    await createKeyPair(adminCtx, account.id, { name: 'soon-key', expiresAt: soon });
    await createTokenPair(adminCtx, account.id, { expiresAt: soon });
    await createClientSecret(adminCtx, account.id, { name: 'later', expiresAt: new Date(Date.now() + 30 * DAY) });
    const disabled = await createClientSecret(adminCtx, quiet.id, { name: 'disabled-soon', expiresAt: soon });
    await setCredentialStatus(adminCtx, 'client_secret', quiet.id, disabled.clientSecret.id, 'DISABLED');
    const theirAccount = await createTestServiceAccount(theirs.adminCtx);
    await createClientSecret(theirs.adminCtx, theirAccount.id, { name: 'theirs', expiresAt: soon });

    const list = await listServiceAccounts(auditorCtx, listServiceAccountsQuery.parse({}));
    const byName = Object.fromEntries(list.items.map((i) => [i.name, i]));
    expect(byName.expiring).toMatchObject({ expiringCredentials: 3, credentialCount: 4 });
    expect(byName.quiet).toMatchObject({ expiringCredentials: 0, credentialCount: 1 });
    const dashboard = await listExpiringCredentials(auditorCtx);
    expect(dashboard.map((d) => d.kind).sort()).toEqual(['client_secret', 'client_token_pair', 'key_pair']);
    expect(dashboard.every((d) => d.serviceAccountId === account.id)).toBe(true);
    const detail = await getServiceAccount(auditorCtx, account.id);
    expect(detail.clientSecrets.find((s) => s.name === 'soon')?.expiringSoon).toBe(true);
    expect(detail.clientSecrets.find((s) => s.name === 'later')?.expiringSoon).toBe(false);
  });
});

describe('limits under concurrency and refusals for every credential kind', () => {
  it('twelve parallel secret creations yield exactly ten enabled secrets', async () => {
    const { adminCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => createClientSecret(adminCtx, account.id, { name: `p${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as { code: string }).code)).toEqual(['limit_exceeded', 'limit_exceeded']);
    expect(await db.clientSecret.count({ where: { serviceAccountId: account.id, status: 'ENABLED' } })).toBe(10);
  });

  it('key pairs and token pairs: AUDITOR forbidden, other organizations not_found, revoked account account_revoked', async () => {
    const { adminCtx, auditorCtx } = await orgWithRoles();
    const theirs = await orgWithRoles();
    const account = await createTestServiceAccount(adminCtx, { platform: 'DESKTOP' });
    const { keyPair } = await createKeyPair(adminCtx, account.id, { name: 'k' });
    const { tokenPair } = await createTokenPair(adminCtx, account.id, {});
    for (const [kind, id] of [
      ['key_pair', keyPair.id],
      ['client_token_pair', tokenPair.id],
    ] as const) {
      expect(await codeOf(setCredentialStatus(auditorCtx, kind, account.id, id, 'DISABLED'))).toBe('forbidden');
      expect(await codeOf(deleteCredential(auditorCtx, kind, account.id, id))).toBe('forbidden');
      expect(await codeOf(setCredentialStatus(theirs.adminCtx, kind, account.id, id, 'DISABLED'))).toBe('not_found');
      expect(await codeOf(deleteCredential(theirs.adminCtx, kind, account.id, id))).toBe('not_found');
    }
    expect(await codeOf(createTokenPair(theirs.adminCtx, account.id, {}))).toBe('not_found');
    expect(await codeOf(listTokenPairs(theirs.adminCtx, account.id))).toBe('not_found');
    expect(await codeOf(listKeyPairs(theirs.adminCtx, account.id))).toBe('not_found');

    const { revokeServiceAccount } = await import('@/lib/service-accounts/set-service-account-status');
    await revokeServiceAccount(adminCtx, account.id, account.name);
    expect(await codeOf(setCredentialStatus(adminCtx, 'key_pair', account.id, keyPair.id, 'ENABLED'))).toBe(
      'account_revoked',
    );
    expect(await codeOf(setCredentialStatus(adminCtx, 'client_token_pair', account.id, tokenPair.id, 'ENABLED'))).toBe(
      'account_revoked',
    );
    expect(await codeOf(createKeyPair(adminCtx, account.id, { name: 'late' }))).toBe('account_revoked');
    expect(await codeOf(createTokenPair(adminCtx, account.id, {}))).toBe('account_revoked');
    // Deleting a dead credential of a revoked account is allowed (and audited).
    await deleteCredential(adminCtx, 'key_pair', account.id, keyPair.id);
    expect(await listKeyPairs(adminCtx, account.id)).toEqual([]);
  });
});

import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db/client';
import { open, seal } from '@/lib/crypto/secret-box';
import { issuerUrl } from '@/lib/issuer';
import { useFreshDatabase } from '@/lib/testing/db';
import { mintAccessToken, verifyAccessToken } from '@/lib/tokens/access-token';
import {
  MAX_TOKEN_LIFETIME_MS,
  PENDING_PUBLISH_MS,
  ROTATE_AFTER_MS,
  activeSigningKey,
  publishedJwks,
  resetSigningKeyCache,
  rotateSigningKeys,
} from './signing-keys';

useFreshDatabase();
beforeEach(() => resetSigningKeyCache());
afterEach(() => vi.useRealTimers());

const mint = () =>
  mintAccessToken({ serviceAccountId: 'sa_test', clientId: 'kid_test', scopes: ['TILE'], lifetimeSeconds: 600 });

describe('signing keys', () => {
  it('creates the first key on demand, sealed at rest, exactly one even under concurrent first use', async () => {
    const keys = await Promise.all([activeSigningKey(), activeSigningKey(), activeSigningKey()]);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    const rows = await db.signingKey.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('ACTIVE');
    // The private key is not stored in the clear, and only opens under its own row's context.
    const sealed = Buffer.from(rows[0]?.privateKeyEnc ?? new Uint8Array());
    expect(sealed.toString('utf8')).not.toContain('"d"');
    expect(JSON.parse(open(sealed, `signing_key:${rows[0]?.id}`).toString('utf8'))).toHaveProperty('d');
    expect(() => open(sealed, 'signing_key:sk_other')).toThrow();
  });

  it('rotates with overlap: a successor is published before it signs, the old key stays published until its last token expires', async () => {
    const before = await mint();
    const oldKid = decodeProtectedHeader(before.token).kid;

    // The active key has aged: a PENDING successor appears in the JWKS but does not sign yet.
    const t1 = new Date(Date.now() + ROTATE_AFTER_MS + 1000);
    await rotateSigningKeys(t1);
    resetSigningKeyCache();
    const pending = await db.signingKey.findFirstOrThrow({ where: { status: 'PENDING' } });
    expect((await publishedJwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, pending.id]));
    expect(decodeProtectedHeader((await mint()).token).kid).toBe(oldKid);

    // Once published long enough, it is promoted; the old key is retired but still published.
    await db.signingKey.update({
      where: { id: pending.id },
      data: { createdAt: new Date(Date.now() - PENDING_PUBLISH_MS - 1000) },
    });
    await rotateSigningKeys();
    resetSigningKeyCache();
    const after = await mint();
    expect(decodeProtectedHeader(after.token).kid).toBe(pending.id);
    const retired = await db.signingKey.findUniqueOrThrow({ where: { id: oldKid } });
    expect(retired.status).toBe('RETIRED');
    expect(retired.notAfter?.getTime()).toBeGreaterThan(Date.now() + MAX_TOKEN_LIFETIME_MS - 60_000);
    expect(await db.signingKey.count({ where: { status: 'ACTIVE' } })).toBe(1);

    // Both tokens verify, offline with the JWKS and with Latchkey's own verifier.
    const jwks = createLocalJWKSet(await publishedJwks());
    for (const t of [before.token, after.token]) {
      await expect(jwtVerify(t, jwks, { issuer: issuerUrl(), audience: issuerUrl() })).resolves.toBeTruthy();
      expect(await verifyAccessToken(t)).not.toBeNull();
    }

    // After notAfter the retired key is gone from the JWKS and its tokens no longer verify.
    await db.signingKey.update({ where: { id: oldKid }, data: { notAfter: new Date(Date.now() - 1000) } });
    resetSigningKeyCache();
    expect((await publishedJwks()).keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(await verifyAccessToken(before.token)).toBeNull();
  });

  it('replaces an active key that the configured master keys cannot open; its tokens keep verifying', async () => {
    const before = await mint();
    const oldKid = decodeProtectedHeader(before.token).kid ?? '';
    // As if the master key version it was sealed under had been removed.
    await db.signingKey.update({
      where: { id: oldKid },
      data: { privateKeyEnc: new Uint8Array(seal('{}', 'signing_key:elsewhere').sealed) },
    });
    resetSigningKeyCache();
    const { kid } = await activeSigningKey();
    expect(kid).not.toBe(oldKid);
    expect((await db.signingKey.findUniqueOrThrow({ where: { id: oldKid } })).status).toBe('RETIRED');
    expect((await publishedJwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, kid]));
    expect(await verifyAccessToken(before.token)).not.toBeNull();
  });

  it('a token verified once (and remembered) stops verifying when it expires, and a tampered copy never verifies', async () => {
    const { token } = await mint();
    expect(await verifyAccessToken(token)).not.toBeNull();
    expect(await verifyAccessToken(token)).not.toBeNull();
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'TILE MATRIX' })).toString('base64url')}.${s}`;
    expect(await verifyAccessToken(forged)).toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 601_000);
    expect(await verifyAccessToken(token)).toBeNull();
  });

  it('the database refuses a second ACTIVE key', async () => {
    await activeSigningKey();
    const row = await db.signingKey.findFirstOrThrow();
    await expect(
      db.signingKey.create({ data: { ...row, id: 'sk_second', publicKeyJwk: row.publicKeyJwk ?? {} } }),
    ).rejects.toThrow();
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signEs256 } from './jws';

const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('signEs256', () => {
  it('produces a JWS that jose verifies, with the header and claims given', async () => {
    const token = signEs256(
      { typ: 'at+jwt', kid: 'sk_1' },
      { sub: 'sa_1', scope: 'TILE', exp: Math.floor(Date.now() / 1000) + 60 },
      p256.privateKey,
    );
    expect(decodeProtectedHeader(token)).toEqual({ typ: 'at+jwt', kid: 'sk_1', alg: 'ES256' });
    const { payload, protectedHeader } = await jwtVerify(token, p256.publicKey, {
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: 'sa_1', scope: 'TILE' });
  });

  it('always says ES256, whatever the header asks for', () => {
    const token = signEs256({ alg: 'none' }, {}, p256.privateKey);
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
  });

  it('signs with a fresh 64-byte R||S signature every time', async () => {
    const a = signEs256({}, { n: 1 }, p256.privateKey);
    const b = signEs256({}, { n: 1 }, p256.privateKey);
    expect(a).not.toBe(b); // ECDSA is randomized
    for (const token of [a, b]) {
      expect(Buffer.from(token.split('.')[2] ?? '', 'base64url')).toHaveLength(64);
      await expect(compactVerify(token, p256.publicKey)).resolves.toBeTruthy();
    }
  });

  it('is refused by jose when a byte of the payload changes', async () => {
    const token = signEs256({}, { sub: 'sa_1' }, p256.privateKey);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'sa_2' })).toString('base64url')}.${s}`;
    await expect(compactVerify(forged, p256.publicKey)).rejects.toThrow();
  });

  it('refuses keys that are not P-256 private keys', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => signEs256({}, {}, p384.privateKey)).toThrow(/P-256/);
    expect(() => signEs256({}, {}, rsa.privateKey)).toThrow(/P-256/);
    expect(() => signEs256({}, {}, p256.publicKey)).toThrow(/P-256/);
  });
});

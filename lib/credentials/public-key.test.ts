import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwkThumbprint, parsePublicKey } from './public-key';

const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = p256.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const jwk = p256.publicKey.export({ format: 'jwk' });

function refusal(input: string | Record<string, unknown>): string {
  try {
    parsePublicKey(input);
    return 'accepted';
  } catch (error) {
    const e = error as { code: string; fields?: Record<string, string[]> };
    expect(e.code).toBe('invalid_key');
    return e.fields?.publicKey?.[0] ?? '';
  }
}

describe('parsePublicKey', () => {
  it('accepts a P-256 public key as SPKI PEM, JWK object and JWK text, with one thumbprint', async () => {
    const fromPem = parsePublicKey(pem);
    expect(fromPem).toEqual({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y });
    expect(parsePublicKey({ ...jwk, alg: 'ES256', use: 'sig', kid: 'mine' })).toEqual(fromPem);
    expect(parsePublicKey(`  ${JSON.stringify(jwk)}\n`)).toEqual(fromPem);
    expect(await jwkThumbprint(fromPem)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses private keys, saying why', () => {
    expect(refusal(p256.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toMatch(/private key/i);
    expect(refusal(p256.privateKey.export({ format: 'pem', type: 'sec1' }).toString())).toMatch(/private key/i);
    expect(refusal(p256.privateKey.export({ format: 'jwk' }) as Record<string, unknown>)).toMatch(/private key/i);
  });

  it('refuses RSA, other curves, points off the curve, JWK sets and garbage', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(refusal(rsa.export({ format: 'pem', type: 'spki' }).toString())).toMatch(/RSA/);
    expect(refusal(rsa.export({ format: 'jwk' }) as Record<string, unknown>)).toMatch(/kty/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
    expect(refusal(p384.export({ format: 'pem', type: 'spki' }).toString())).toMatch(/P-256/);
    expect(refusal(p384.export({ format: 'jwk' }) as Record<string, unknown>)).toMatch(/P-256/);
    const ed = generateKeyPairSync('ed25519').publicKey;
    expect(refusal(ed.export({ format: 'pem', type: 'spki' }).toString())).toMatch(/ES256/);
    expect(refusal({ ...jwk, y: jwk.x })).toMatch(/curve/);
    expect(refusal({ ...jwk, alg: 'ES384' })).toMatch(/ES256/);
    expect(refusal(JSON.stringify({ keys: [jwk] }))).toMatch(/set/);
    expect(refusal('hello')).toMatch(/PEM/);
    expect(refusal('{not json')).toMatch(/JSON/);
    expect(refusal('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toMatch(/could not be read/);
    expect(refusal('')).not.toBe('accepted');
  });
});

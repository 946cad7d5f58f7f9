import { generateKeyPairSync, sign } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateSecret, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { dpopKey, dpopProof, type DpopKey } from '@/lib/testing/dpop';
import {
  accessTokenHash,
  checkDpopProof,
  currentDpopNonce,
  dpopNonceValid,
  normaliseHtu,
  readDpopHeader,
} from './dpop';

const HTU = 'https://latchkey.example/api/oauth/token';
const rules = { htm: 'POST', htu: HTU };

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

function setEnv(name: string, value: string): void {
  vi.stubEnv(name, value);
  resetEnvCache();
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: string; reason: string };
    return { code: e.code, reason: e.reason };
  }
  throw new Error('the proof passed');
}

let es256: DpopKey | undefined;
const key = async () => (es256 ??= await dpopKey('ES256'));

describe('checkDpopProof (RFC 9449 §4.3)', () => {
  it('accepts a proof of every advertised key type and returns its key’s RFC 7638 thumbprint', async () => {
    for (const alg of ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA']) {
      const k = await dpopKey(alg);
      const checked = await checkDpopProof(await dpopProof(k, { htu: HTU, jti: `jti-${alg}` }), rules);
      expect(checked.jkt).toBe(await calculateJwkThumbprint(k.publicJwk, 'sha256'));
      expect(checked.jti).toBe(`jti-${alg}`);
    }
  });

  it('needs typ dpop+jwt (positive control above)', async () => {
    const k = await key();
    expect(await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, typ: 'JWT' }), rules))).toEqual({
      code: 'invalid_dpop_proof',
      reason: 'dpop_typ',
    });
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, typ: null }), rules))).reason).toBe('dpop_typ');
  });

  it('refuses a symmetric algorithm, and a key that does not fit the advertised algorithms', async () => {
    const secret = await generateSecret('HS256', { extractable: true });
    const hs = await new SignJWT({ htm: 'POST', htu: HTU, iat: Math.floor(Date.now() / 1000), jti: 'x' })
      .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct' } })
      .sign(secret);
    expect(await refusal(checkDpopProof(hs, rules))).toEqual({ code: 'invalid_dpop_proof', reason: 'dpop_alg' });
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'dpop+jwt' })).toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    expect((await refusal(checkDpopProof(none, rules))).reason).toBe('dpop_malformed');
  });

  it('needs a public jwk in the header: none, or one with private members, is refused', async () => {
    const k = await key();
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, jwk: null }), rules))).reason).toBe('dpop_jwk');
    const privateJwk = await exportJWK(k.privateKey);
    expect(privateJwk.d).toBeDefined();
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, jwk: privateJwk }), rules))).reason).toBe(
      'dpop_jwk_private',
    );
  });

  it('verifies the signature with the header’s key: another key’s signature is refused', async () => {
    const k = await key();
    const other = await dpopKey('ES256');
    expect(
      (await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, signWith: other.privateKey }), rules))).reason,
    ).toBe('dpop_signature');
  });

  it('refuses RSA keys shorter than 2048 bits', async () => {
    // jose will not sign with such a key: the proof is signed with node:crypto directly.
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${b64({ alg: 'RS256', typ: 'dpop+jwt', jwk: publicKey.export({ format: 'jwk' }) })}.${b64({
      htm: 'POST',
      htu: HTU,
      iat: Math.floor(Date.now() / 1000),
      jti: 'weak',
    })}`;
    const weak = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    expect((await refusal(checkDpopProof(weak, rules))).reason).toBe('dpop_signature');
  });

  it('needs jti, htm, htu and iat', async () => {
    const k = await key();
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, jti: null }), rules))).reason).toBe(
      'dpop_claim_jti',
    );
    expect(
      (await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, claims: { iat: 'now' } }), rules))).reason,
    ).toBe('dpop_claim_iat');
  });

  it('needs htm to be the request’s method', async () => {
    const k = await key();
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, htm: 'GET' }), rules))).reason).toBe(
      'dpop_htm',
    );
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, htm: 'post' }), rules))).reason).toBe(
      'dpop_htm',
    );
  });

  it('compares htu without query and fragment, scheme and host in any case, and nothing else', async () => {
    const k = await key();
    for (const htu of [
      `${HTU}?x=1`,
      `${HTU}#f`,
      'HTTPS://LatchKey.Example/api/oauth/token',
      'https://latchkey.example:443/api/oauth/%74oken',
    ])
      await expect(checkDpopProof(await dpopProof(k, { htu }), rules)).resolves.toMatchObject({
        iat: expect.any(Number),
      });
    for (const htu of [
      'https://latchkey.example/api/oauth/token/',
      'http://latchkey.example/api/oauth/token',
      'https://other.example/api/oauth/token',
      'https://latchkey.example:8443/api/oauth/token',
      'https://latchkey.example/API/oauth/token',
      'not a url',
    ])
      expect((await refusal(checkDpopProof(await dpopProof(k, { htu }), rules))).reason).toBe('dpop_htu');
  });

  it('needs iat within the window, configurable (DPOP_IAT_WINDOW_SECONDS)', async () => {
    const k = await key();
    const now = Math.floor(Date.now() / 1000);
    await expect(checkDpopProof(await dpopProof(k, { htu: HTU, iat: now - 55 }), rules)).resolves.toBeTruthy();
    await expect(checkDpopProof(await dpopProof(k, { htu: HTU, iat: now + 55 }), rules)).resolves.toBeTruthy();
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, iat: now - 65 }), rules))).reason).toBe(
      'dpop_iat',
    );
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, iat: now + 65 }), rules))).reason).toBe(
      'dpop_iat',
    );
    setEnv('DPOP_IAT_WINDOW_SECONDS', '10');
    expect((await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, iat: now - 15 }), rules))).reason).toBe(
      'dpop_iat',
    );
  });

  it('with an access token, needs ath to be its hash', async () => {
    const k = await key();
    const withToken = { htm: 'GET', htu: 'https://latchkey.example/api/v1/members', accessToken: 'a.b.c' };
    const proof = (accessToken?: string) => dpopProof(k, { htm: 'GET', htu: withToken.htu, accessToken });
    await expect(checkDpopProof(await proof('a.b.c'), withToken)).resolves.toBeTruthy();
    expect((await refusal(checkDpopProof(await proof('x.y.z'), withToken))).reason).toBe('dpop_ath');
    expect((await refusal(checkDpopProof(await proof(), withToken))).reason).toBe('dpop_ath');
    expect(accessTokenHash('a.b.c')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('with DPOP_NONCE=on, needs a current server nonce (use_dpop_nonce otherwise)', async () => {
    const k = await key();
    setEnv('DPOP_NONCE', 'on');
    expect(await refusal(checkDpopProof(await dpopProof(k, { htu: HTU }), rules))).toEqual({
      code: 'use_dpop_nonce',
      reason: 'dpop_nonce_missing',
    });
    await expect(
      checkDpopProof(await dpopProof(k, { htu: HTU, nonce: currentDpopNonce() }), rules),
    ).resolves.toBeTruthy();
    const old = currentDpopNonce(Date.now() - 130_000);
    expect(await refusal(checkDpopProof(await dpopProof(k, { htu: HTU, nonce: old }), rules))).toEqual({
      code: 'use_dpop_nonce',
      reason: 'dpop_nonce_stale',
    });
  });
});

describe('server nonces', () => {
  it('are good in their period and the next one, not later, and cannot be made up', () => {
    const t = Date.now();
    expect(dpopNonceValid(currentDpopNonce(t), t)).toBe(true);
    expect(dpopNonceValid(currentDpopNonce(t - 60_000), t)).toBe(true);
    expect(dpopNonceValid(currentDpopNonce(t - 121_000), t)).toBe(false);
    const [window] = currentDpopNonce(t).split('.');
    expect(dpopNonceValid(`${window}.AAAAAAAAAAAAAAAAAAAAAA`, t)).toBe(false);
    expect(dpopNonceValid('', t)).toBe(false);
  });
});

describe('readDpopHeader', () => {
  const headers = (value: string | null) => ({ get: (name: string) => (name === 'dpop' ? value : null) });
  it('returns the one proof, null without one, and refuses two', () => {
    expect(readDpopHeader(headers(null))).toBeNull();
    expect(readDpopHeader(headers(' a.b.c '))).toBe('a.b.c');
    expect(() => readDpopHeader(headers('a.b.c, d.e.f'))).toThrow(
      expect.objectContaining({ code: 'invalid_dpop_proof', reason: 'dpop_multiple' }),
    );
    expect(() => readDpopHeader(headers(''))).toThrow(expect.objectContaining({ reason: 'dpop_malformed' }));
  });
});

describe('normaliseHtu', () => {
  it('follows RFC 3986 §6.2.2 and §6.2.3 and drops query and fragment', () => {
    expect(normaliseHtu('HTTP://EXAMPLE.com:80/a%7eb%2fc?q#f')).toBe('http://example.com/a~b%2Fc');
    expect(normaliseHtu('https://example.com')).toBe('https://example.com/');
    expect(normaliseHtu('https://example.com:8443/x')).toBe('https://example.com:8443/x');
    expect(normaliseHtu('ftp://example.com/x')).toBeNull();
    expect(normaliseHtu('https://user:pw@example.com/x')).toBeNull();
    expect(normaliseHtu('/relative')).toBeNull();
  });
});

import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { AppError } from '@/lib/errors';

export type EcPublicJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string };

function invalidKey(message: string): AppError {
  return new AppError('invalid_key', message, { fields: { publicKey: [message] } });
}

const PRIVATE_KEY_REFUSAL =
  'This is a private key. Never share a private key: upload only the public key (-----BEGIN PUBLIC KEY----- or a JWK without "d").';

function fromKeyObject(key: KeyObject): EcPublicJwk {
  if (key.asymmetricKeyType !== 'ec') {
    throw invalidKey(
      `Only ES256 keys (EC P-256) are accepted; this is a${key.asymmetricKeyType === 'rsa' ? 'n RSA' : ` ${String(key.asymmetricKeyType).toUpperCase()}`} key.`,
    );
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1')
    throw invalidKey(`Only ES256 keys (curve P-256) are accepted; this key uses ${curve ?? 'an unknown curve'}.`);
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string')
    throw invalidKey('The key could not be read as an EC public key.');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

function parsePem(text: string): EcPublicJwk {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw invalidKey(PRIVATE_KEY_REFUSAL);
  if (/-----BEGIN CERTIFICATE-----/.test(text))
    throw invalidKey('Upload the public key itself (-----BEGIN PUBLIC KEY-----), not a certificate.');
  if (/-----BEGIN RSA PUBLIC KEY-----/.test(text))
    throw invalidKey('Only ES256 keys (EC P-256) are accepted; this is an RSA key.');
  const match = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(text);
  if (!match)
    throw invalidKey('Paste a PEM public key (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----) or a JWK.');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: match[0], format: 'pem', type: 'spki' });
  } catch {
    throw invalidKey('The PEM public key could not be read: check that it was copied completely.');
  }
  return fromKeyObject(key);
}

function parseJwk(value: Record<string, unknown>): EcPublicJwk {
  if ('d' in value) throw invalidKey(PRIVATE_KEY_REFUSAL);
  if (value.kty !== 'EC')
    throw invalidKey(`Only ES256 keys (EC P-256) are accepted; this JWK has kty ${JSON.stringify(value.kty ?? null)}.`);
  if (value.crv !== 'P-256')
    throw invalidKey(
      `Only ES256 keys (curve P-256) are accepted; this JWK has crv ${JSON.stringify(value.crv ?? null)}.`,
    );
  if (value.alg !== undefined && value.alg !== 'ES256')
    throw invalidKey(`This JWK is for ${JSON.stringify(value.alg)}; only ES256 is accepted.`);
  if (typeof value.x !== 'string' || typeof value.y !== 'string')
    throw invalidKey('The JWK needs its "x" and "y" coordinates.');
  let key: KeyObject;
  try {
    // Node (OpenSSL) checks that the point lies on the curve.
    key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: value.x, y: value.y }, format: 'jwk' });
  } catch {
    throw invalidKey('The JWK is not a valid P-256 public key (the point is not on the curve).');
  }
  return fromKeyObject(key);
}

/**
 * parsePublicKey accepts an ES256 public key as SPKI PEM, a JWK object, or a JWK as JSON text,
 * and returns its bare public JWK (kty, crv, x, y). Private keys (PEM or JWK with "d"),
 * certificates, RSA and other curves, and garbage are refused with `invalid_key` and a message
 * on the `publicKey` field.
 */
export function parsePublicKey(input: string | Record<string, unknown>): EcPublicJwk {
  if (typeof input !== 'string') return parseJwk(input);
  const text = input.trim();
  if (text === '') throw invalidKey('Paste a public key.');
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidKey('The JWK is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw invalidKey('A JWK is a JSON object.');
    const obj = parsed as Record<string, unknown>;
    if (Array.isArray(obj.keys)) throw invalidKey('This is a JWK set: upload one key, not a set.');
    return parseJwk(obj);
  }
  return parsePem(text);
}

/** jwkThumbprint is the RFC 7638 SHA-256 thumbprint of a public JWK (base64url). */
export function jwkThumbprint(jwk: EcPublicJwk): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

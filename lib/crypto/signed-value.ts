import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { currentMasterKey, masterKeys } from './master-keys';

const MAC_BYTES = 16;
const derived = new Map<string, Buffer>();

function macKey(purpose: string, version: number, master: Buffer): Buffer {
  const id = `${purpose}:${version}:${master.toString('base64')}`;
  let key = derived.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `latchkey/signed-value/${purpose}/v1`, 32));
    derived.set(id, key);
  }
  return key;
}

function mac(purpose: string, version: number, master: Buffer, payload: string, binding: string): Buffer {
  return createHmac('sha256', macKey(purpose, version, master))
    .update(`${binding}\n${payload}`, 'utf8')
    .digest()
    .subarray(0, MAC_BYTES);
}

/**
 * signValue wraps an opaque value handed to a client (a keyset cursor, say) with an HMAC under a
 * key derived from the current master key for this purpose, bound to `binding` (the organization
 * it was issued to): `<payload base64url>.<key version>.<mac base64url>`, URL-safe as it is.
 */
export function signValue(purpose: string, payload: string, binding: string): string {
  const { version, key } = currentMasterKey();
  const body = Buffer.from(payload, 'utf8').toString('base64url');
  return `${body}.${version}.${mac(purpose, version, key, body, binding).toString('base64url')}`;
}

/**
 * verifySignedValue returns the payload of a token signValue made for the same purpose and
 * binding, under any configured master key version, or null: for anything else, a token of
 * another organization included. The comparison is constant-time.
 */
export function verifySignedValue(purpose: string, token: string, binding: string): string | null {
  const match = /^([A-Za-z0-9_-]{1,400})\.([1-9]\d{0,8})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const [, body = '', versionText = '', macText = ''] = match;
  const master = masterKeys().find((k) => k.version === Number(versionText));
  if (!master) return null;
  const presented = Buffer.from(macText, 'base64url');
  const expected = mac(purpose, master.version, master.key, body, binding);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
  return Buffer.from(body, 'base64url').toString('utf8');
}

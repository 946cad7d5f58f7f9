import 'server-only';
import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';
import { open, seal } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { newId } from '@/lib/ids';
import { logger } from '@/lib/logger';
import { moduleState } from '@/lib/process-state';

/**
 * Latchkey's own ES256 signing keys. At most one key is ACTIVE (it signs); a PENDING key is
 * published in the JWKS before it signs anything, so that resource servers have it cached by
 * the time it is promoted; a RETIRED key stays published until `notAfter`, the expiry of the
 * last token it can have signed. Private keys are sealed (AES-256-GCM) with the context
 * `signing_key:<kid>`, so a ciphertext moved to another row does not decrypt.
 *
 * Keys are cached in memory for CACHE_MS: the token endpoint signs and the introspection
 * endpoint verifies without touching the database. An unknown kid reloads the cache at most
 * once per UNKNOWN_KID_RELOAD_MS (another instance may just have created a key).
 */
export const CACHE_MS = 60_000;
const UNKNOWN_KID_RELOAD_MS = 2_000;
/** An active key signs for this long before a successor is staged. */
export const ROTATE_AFTER_MS = 30 * 24 * 3600_000;
/** A staged key is published for this long (well over CACHE_MS and JWKS caches) before it signs. */
export const PENDING_PUBLISH_MS = 24 * 3600_000;
/** The longest access token lifetime (service_accounts.token_lifetime_seconds CHECK), plus skew. */
export const MAX_TOKEN_LIFETIME_MS = 86_400_000 + 5 * 60_000;

export type SigningKeyStatus = 'PENDING' | 'ACTIVE' | 'RETIRED';
type LoadedKey = {
  kid: string;
  status: SigningKeyStatus;
  publicJwk: JWK;
  verifyKey: CryptoKey;
  signKey?: KeyObject;
  createdAt: Date;
  notAfter: Date | null;
};
type KeyCache = { loadedAt: number; keys: Map<string, LoadedKey>; active: LoadedKey | undefined };

const publicJwkSchema = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() });

type KeyState = { cache?: KeyCache; loading?: Promise<KeyCache>; lastUnknownReload: number };
/** This copy's key cache (never the other copy's in the production server: lib/process-state.ts). */
const holder = () => moduleState<KeyState>('__latchkeySigningKeys', () => ({ lastUnknownReload: 0 }));

function context(kid: string): string {
  return `signing_key:${kid}`;
}

async function newKeyMaterial(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = publicJwkSchema.parse(await exportJWK(publicKey));
  const privateJwk = await exportJWK(privateKey);
  const { sealed, keyVersion } = seal(JSON.stringify(privateJwk), context(kid));
  return {
    publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
    privateKeyEnc: sealed,
    encKeyVersion: keyVersion,
  };
}

/** createSigningKey stores a new key with the given status (ACTIVE fails if one is active already). */
export async function createSigningKey(status: 'PENDING' | 'ACTIVE'): Promise<string> {
  const kid = newId('signingKey');
  const material = await newKeyMaterial(kid);
  await db.signingKey.create({
    data: {
      id: kid,
      status,
      publicKeyJwk: material.publicJwk,
      privateKeyEnc: new Uint8Array(material.privateKeyEnc),
      encKeyVersion: material.encKeyVersion,
      activatedAt: status === 'ACTIVE' ? new Date() : null,
    },
  });
  return kid;
}

/**
 * promotePendingKey retires the active key (published until its last token expires) and
 * activates the oldest pending one, in one transaction: the partial unique index on ACTIVE
 * makes a concurrent promotion by another instance fail instead of leaving two active keys.
 */
export async function promotePendingKey(now = new Date()): Promise<string | null> {
  return db.$transaction(async (tx) => {
    const pending = await tx.signingKey.findFirst({ where: { status: 'PENDING' }, orderBy: { createdAt: 'asc' } });
    if (!pending) return null;
    await tx.signingKey.updateMany({
      where: { status: 'ACTIVE' },
      data: { status: 'RETIRED', retiredAt: now, notAfter: new Date(now.getTime() + MAX_TOKEN_LIFETIME_MS) },
    });
    await tx.signingKey.update({ where: { id: pending.id }, data: { status: 'ACTIVE', activatedAt: now } });
    return pending.id;
  });
}

/**
 * rotateSigningKeys is the rotation schedule, run on every cache reload by whichever instance
 * reloads: stage a successor when the active key is old, promote it once it has been published
 * long enough, create the very first key on demand. Safe to run concurrently (the unique index
 * refuses a second active key; the loser just reloads).
 */
export async function rotateSigningKeys(now = new Date()): Promise<void> {
  const keys = await db.signingKey.findMany({
    where: { status: { in: ['ACTIVE', 'PENDING'] } },
    select: { id: true, status: true, createdAt: true, activatedAt: true },
  });
  const active = keys.find((k) => k.status === 'ACTIVE');
  const pending = keys.filter((k) => k.status === 'PENDING');
  try {
    if (!active) {
      if (pending.length > 0) await promotePendingKey(now);
      else await createSigningKey('ACTIVE');
      return;
    }
    const activeSince = (active.activatedAt ?? active.createdAt).getTime();
    if (pending.length === 0 && now.getTime() - activeSince >= ROTATE_AFTER_MS) await createSigningKey('PENDING');
    const ripe = pending.some((k) => now.getTime() - k.createdAt.getTime() >= PENDING_PUBLISH_MS);
    if (ripe) await promotePendingKey(now);
  } catch (error) {
    // Another instance won the race (unique index on ACTIVE): its key is as good as ours.
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
}

/**
 * replaceUnusableActiveKey retires an ACTIVE key whose private half cannot be opened (its master
 * key version was removed from LATCHKEY_MASTER_KEYS) and activates a fresh key, so that the
 * service keeps signing. The retired key's public half stays published, so tokens it signed
 * keep verifying until they expire.
 */
async function replaceUnusableActiveKey(kid: string): Promise<void> {
  logger.error({ kid }, 'the active signing key cannot be opened with the configured master keys; replacing it');
  const material = await newKeyMaterial(newId('signingKey'));
  const now = new Date();
  try {
    await db.$transaction(async (tx) => {
      const retired = await tx.signingKey.updateMany({
        where: { id: kid, status: 'ACTIVE' },
        data: { status: 'RETIRED', retiredAt: now, notAfter: new Date(now.getTime() + MAX_TOKEN_LIFETIME_MS) },
      });
      if (retired.count !== 1) return;
      const id = material.publicJwk.kid;
      await tx.signingKey.create({
        data: {
          id,
          status: 'ACTIVE',
          publicKeyJwk: material.publicJwk,
          privateKeyEnc: new Uint8Array(material.privateKeyEnc),
          encKeyVersion: material.encKeyVersion,
          activatedAt: now,
        },
      });
    });
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
}

async function load(): Promise<KeyCache> {
  const first = await loadOnce();
  if (first.unusableActive) {
    await replaceUnusableActiveKey(first.unusableActive);
    return loadOnce();
  }
  return first;
}

async function loadOnce(): Promise<KeyCache & { unusableActive?: string }> {
  await rotateSigningKeys();
  const now = new Date();
  const rows = await db.signingKey.findMany({
    where: { OR: [{ status: { in: ['ACTIVE', 'PENDING'] } }, { status: 'RETIRED', notAfter: { gt: now } }] },
    orderBy: { createdAt: 'asc' },
  });
  const keys = new Map<string, LoadedKey>();
  let active: LoadedKey | undefined;
  let unusableActive: string | undefined;
  for (const row of rows) {
    try {
      const publicJwk = { ...publicJwkSchema.parse(row.publicKeyJwk), kid: row.id, alg: 'ES256', use: 'sig' };
      const loaded: LoadedKey = {
        kid: row.id,
        status: row.status,
        publicJwk,
        verifyKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
        createdAt: row.createdAt,
        notAfter: row.notAfter,
      };
      if (row.status === 'ACTIVE') {
        const privateJwk = JSON.parse(open(row.privateKeyEnc, context(row.id)).toString('utf8')) as JWK;
        loaded.signKey = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
        active = loaded;
      }
      keys.set(row.id, loaded);
    } catch (error) {
      // A key that cannot be opened (e.g. its master key was removed) must not take the service down.
      logger.error({ err: error, kid: row.id }, 'signing key could not be loaded');
      if (row.status === 'ACTIVE') {
        unusableActive = row.id;
        // Its public half still verifies the tokens it signed.
        const publicJwk = { ...publicJwkSchema.parse(row.publicKeyJwk), kid: row.id, alg: 'ES256', use: 'sig' };
        keys.set(row.id, {
          kid: row.id,
          status: 'RETIRED',
          publicJwk,
          verifyKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
          createdAt: row.createdAt,
          notAfter: null,
        });
      }
    }
  }
  return { loadedAt: Date.now(), keys, active, unusableActive };
}

async function cache(force = false): Promise<KeyCache> {
  const h = holder();
  const current = h.cache;
  if (!force && current && Date.now() - current.loadedAt < CACHE_MS && current.active) return current;
  h.loading ??= load().finally(() => {
    h.loading = undefined;
  });
  h.cache = await h.loading;
  return h.cache;
}

/** activeSigningKey returns the key that signs new tokens (creating the first one on demand). */
export async function activeSigningKey(): Promise<{ kid: string; key: KeyObject }> {
  let c = await cache();
  if (!c.active?.signKey) c = await cache(true);
  if (!c.active?.signKey) throw new Error('no usable active signing key');
  return { kid: c.active.kid, key: c.active.signKey };
}

/** verificationKey returns the public key for a kid, or null when it is unknown or no longer published. */
export async function verificationKey(kid: string): Promise<CryptoKey | null> {
  let c = await cache();
  let key = c.keys.get(kid);
  if (!key && Date.now() - holder().lastUnknownReload > UNKNOWN_KID_RELOAD_MS) {
    holder().lastUnknownReload = Date.now();
    c = await cache(true);
    key = c.keys.get(kid);
  }
  if (!key || (key.notAfter && key.notAfter.getTime() <= Date.now())) return null;
  return key.verifyKey;
}

/** publishedJwks is the JWKS document: active, pending and recently retired public keys. */
export async function publishedJwks(): Promise<{ keys: JWK[] }> {
  const c = await cache();
  const now = Date.now();
  return {
    keys: [...c.keys.values()].filter((k) => !k.notAfter || k.notAfter.getTime() > now).map((k) => k.publicJwk),
  };
}

/** resetSigningKeyCache forgets cached keys (tests, and after a manual rotation). */
export function resetSigningKeyCache(): void {
  holder().cache = undefined;
  holder().lastUnknownReload = 0;
}

import 'server-only';
import type { JWK } from 'jose';
import { LRUCache } from 'lru-cache';
import { env } from '@/lib/env';
import { checkIssuerUrl, publicJwksSchema } from './schema';

/**
 * The issuer keys of federated credentials. Fetched with our own fetch rather than jose's
 * createRemoteJWKSet, which follows redirects and has no allow-list: every URL is https (plain
 * http only on loopback), on an allowed host (FEDERATION_ALLOWED_ISSUER_HOSTS; any host when
 * unset), fetched without redirects, within a timeout and a size limit; answers are cached with
 * a TTL, shared by every policy naming the same URL; an unknown `kid` may refetch once, at most
 * once per cooldown per URL. Anything wrong fails closed (KeySourceError).
 */

export type KeySourceReason =
  | 'issuer_host_not_allowed'
  | 'jwks_unreachable'
  | 'jwks_malformed'
  | 'discovery_malformed'
  | 'discovery_issuer_mismatch';

/** KeySourceError: the keys could not be had; `reason` is the stable code for the audit log. */
export class KeySourceError extends Error {
  readonly reason: KeySourceReason;
  constructor(reason: KeySourceReason, message: string) {
    super(message);
    this.name = 'KeySourceError';
    this.reason = reason;
  }
}

export type KeySourceSpec = {
  issuer: string;
  keySource: 'DISCOVERY' | 'JWKS_URI' | 'INLINE_JWKS';
  jwksUri: string | null;
  inlineJwks: unknown;
};

export type FetcherSettings = {
  ttlMs: number;
  timeoutMs: number;
  maxBytes: number;
  /** The shortest time between two unknown-kid refetches of one URL. */
  refetchCooldownMs: number;
  /** How long a failed fetch is remembered (so a dead issuer is not hammered). */
  failureTtlMs: number;
  /** Lowercase host names, or `*.suffix`; null allows any host. */
  allowedHosts: string[] | null;
};

const defaults = (): FetcherSettings => {
  const hosts = env().FEDERATION_ALLOWED_ISSUER_HOSTS;
  return {
    ttlMs: 300_000,
    timeoutMs: 5_000,
    maxBytes: 256 * 1024,
    refetchCooldownMs: 60_000,
    failureTtlMs: 5_000,
    allowedHosts: hosts
      ? hosts
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean)
      : null,
  };
};

let settings: FetcherSettings | undefined;
function current(): FetcherSettings {
  settings ??= defaults();
  return settings;
}

/** configureJwksFetcher changes the fetcher's limits (tests); returns a function restoring the previous ones. */
export function configureJwksFetcher(change: Partial<FetcherSettings>): () => void {
  const previous = current();
  settings = { ...previous, ...change };
  clearJwksCache();
  return () => {
    settings = previous;
    clearJwksCache();
  };
}

type Fetched = { keys: JWK[]; fetchedAt: number };
type Discovered = { jwksUri: string; fetchedAt: number };
const keyCache = new LRUCache<string, Fetched>({ max: 1_000 });
const discoveryCache = new LRUCache<string, Discovered>({ max: 1_000 });
const failures = new LRUCache<string, KeySourceError>({ max: 1_000, ttl: 5_000 });
const inflight = new Map<string, Promise<unknown>>();
const lastRefetch = new LRUCache<string, number>({ max: 1_000 });

/** clearJwksCache forgets every cached key set, discovery document and failure. */
export function clearJwksCache(): void {
  keyCache.clear();
  discoveryCache.clear();
  failures.clear();
  lastRefetch.clear();
}

/** hostAllowed: an exact host of the list, or a subdomain of a `*.suffix` entry. */
export function hostAllowed(hostname: string, allowed: string[] | null): boolean {
  if (allowed === null) return true;
  const host = hostname.toLowerCase();
  return allowed.some((entry) =>
    entry.startsWith('*.') ? host.endsWith(entry.slice(1)) && host.length > entry.length - 1 : host === entry,
  );
}

/** assertFetchable refuses a URL Latchkey must not fetch: wrong scheme, credentials, query, or a host outside the allow-list. */
export function assertFetchable(url: string, allowed = current().allowedHosts): URL {
  const problem = checkIssuerUrl(url);
  if (problem) throw new KeySourceError('jwks_unreachable', `${url}: ${problem}`);
  const parsed = new URL(url);
  if (!hostAllowed(parsed.hostname, allowed))
    throw new KeySourceError(
      'issuer_host_not_allowed',
      `${parsed.hostname} is not in FEDERATION_ALLOWED_ISSUER_HOSTS.`,
    );
  return parsed;
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new KeySourceError('jwks_malformed', `The answer is larger than ${maxBytes} bytes.`);
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new KeySourceError('jwks_malformed', `The answer is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetchJson GETs a JSON document under the fetcher's rules; never follows a redirect. */
async function fetchJson(url: string, malformed: KeySourceReason): Promise<unknown> {
  const { timeoutMs, maxBytes } = current();
  assertFetchable(url);
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch {
    throw new KeySourceError('jwks_unreachable', `${url} could not be fetched (unreachable, timed out or redirected).`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new KeySourceError('jwks_unreachable', `${url} answered ${response.status}.`);
  }
  let text: string;
  try {
    text = await readLimited(response, maxBytes);
  } catch (error) {
    if (error instanceof KeySourceError) throw error;
    throw new KeySourceError('jwks_unreachable', `${url} could not be read.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeySourceError(malformed, `${url} did not answer JSON.`);
  }
}

/** parseJwks keeps a JWKS's public keys; a private or symmetric key, or no key, makes the whole set malformed. */
export function parseJwks(value: unknown): JWK[] {
  const parsed = publicJwksSchema.safeParse(value);
  if (!parsed.success)
    throw new KeySourceError('jwks_malformed', 'The JWKS is malformed or holds no usable public key.');
  return parsed.data.keys as JWK[];
}

/** once runs one fetch per key at a time: parallel requests for the same URL share it. */
async function once<T>(key: string, run: () => Promise<T>): Promise<T> {
  const running = inflight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const promise = run().finally(() => inflight.delete(key));
  inflight.set(key, promise);
  return promise;
}

async function remembered<T>(key: string, run: () => Promise<T>): Promise<T> {
  const failed = failures.get(key);
  if (failed) throw failed;
  try {
    return await once(key, run);
  } catch (error) {
    if (error instanceof KeySourceError) failures.set(key, error, { ttl: current().failureTtlMs });
    throw error;
  }
}

/** The OIDC discovery document's address for an issuer (OpenID Connect Discovery 1.0 §4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

async function discoveredJwksUri(issuer: string, fresh: boolean): Promise<string> {
  const hit = discoveryCache.get(issuer);
  if (hit && !fresh && Date.now() - hit.fetchedAt < current().ttlMs) return hit.jwksUri;
  return remembered(`discovery ${issuer}`, async () => {
    const doc = await fetchJson(discoveryUrl(issuer), 'discovery_malformed');
    if (typeof doc !== 'object' || doc === null)
      throw new KeySourceError('discovery_malformed', 'The discovery document is not a JSON object.');
    const { issuer: named, jwks_uri: jwksUri } = doc as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery §4.3: the document must name exactly the issuer it was fetched for.
    if (named !== issuer)
      throw new KeySourceError('discovery_issuer_mismatch', 'The discovery document names another issuer.');
    if (typeof jwksUri !== 'string')
      throw new KeySourceError('discovery_malformed', 'The discovery document has no jwks_uri.');
    assertFetchable(jwksUri);
    discoveryCache.set(issuer, { jwksUri, fetchedAt: Date.now() });
    return jwksUri;
  });
}

async function fetchedKeys(url: string, fresh: boolean): Promise<JWK[]> {
  const hit = keyCache.get(url);
  if (hit && !fresh && Date.now() - hit.fetchedAt < current().ttlMs) return hit.keys;
  return remembered(`jwks ${url}`, async () => {
    const keys = parseJwks(await fetchJson(url, 'jwks_malformed'));
    keyCache.set(url, { keys, fetchedAt: Date.now() });
    return keys;
  });
}

/** jwksUrlOf is where a remote key source's keys are (null for pasted keys). */
async function jwksUrlOf(spec: KeySourceSpec, fresh: boolean): Promise<string | null> {
  if (spec.keySource === 'INLINE_JWKS') return null;
  assertFetchable(spec.issuer);
  if (spec.keySource === 'JWKS_URI') {
    if (!spec.jwksUri) throw new KeySourceError('jwks_malformed', 'No JWKS URL is configured.');
    return spec.jwksUri;
  }
  return discoveredJwksUri(spec.issuer, fresh);
}

/**
 * keysFor returns a policy's issuer keys: pasted, or fetched (cached for the TTL). Throws
 * KeySourceError when they cannot be had: nothing is ever accepted without keys.
 */
export async function keysFor(spec: KeySourceSpec): Promise<JWK[]> {
  const url = await jwksUrlOf(spec, false);
  if (url === null) return parseJwks(spec.inlineJwks);
  return fetchedKeys(url, false);
}

/**
 * refetchKeysFor fetches a policy's keys again after a token named a `kid` the cached set does
 * not hold (the issuer rotated its keys): at most once per cooldown per URL, so a flood of
 * made-up kids cannot turn Latchkey into a load generator against the issuer. Null when a
 * refetch is not allowed now (or the keys are pasted): the token is then refused.
 */
export async function refetchKeysFor(spec: KeySourceSpec): Promise<JWK[] | null> {
  if (spec.keySource === 'INLINE_JWKS') return null;
  const key = spec.keySource === 'JWKS_URI' ? (spec.jwksUri ?? '') : spec.issuer;
  const last = lastRefetch.get(key);
  const now = Date.now();
  if (last !== undefined && now - last < current().refetchCooldownMs) return null;
  lastRefetch.set(key, now);
  const url = await jwksUrlOf(spec, true);
  return url === null ? null : fetchedKeys(url, true);
}

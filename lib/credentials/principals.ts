import 'server-only';
import { LRUCache } from 'lru-cache';
import type { CredentialKind } from './set-credential-status';
import { hotQuery } from '@/lib/db/hot-db';
import type { FederatedPolicy } from '@/lib/federation/verify';

/** The kinds of credential that can obtain tokens (lib/credentials, lib/federation). */
export type { CredentialKind };

export type Principal = {
  kind: CredentialKind;
  /** The credential's public id: kid_… / kp_… / ctp_… (the access token's client_id). */
  credentialId: string;
  credentialStatus: 'ENABLED' | 'DISABLED';
  credentialExpiresAt: Date;
  /** client_secret: secret hash; client_token_pair: server token hash. */
  hash: Uint8Array | null;
  hashKeyVersion: number | null;
  publicKeyJwk: unknown;
  /** Client secrets: latchkey_client_secret_fingerprint of what this copy was read from. */
  fingerprint: string | null;
  /** True when this copy came from the cache, i.e. may be outdated (see findClientSecret). */
  fromCache: boolean;
  /** Federated credentials: the trust policy an external token must pass (lib/federation/verify.ts). */
  federation?: FederatedPolicy;
  account: {
    id: string;
    organizationId: string;
    orgSlug: string;
    name: string;
    status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
    isAdmin: boolean;
    platform: string;
    tokenLifetimeSeconds: number;
    ipAllowList: string[];
    scopes: string[];
    /** No token without a DPoP proof (lib/oauth/issue-token.ts mintFor). */
    requireDpop: boolean;
  };
};

type Row = {
  credential_id: string;
  credential_status: 'ENABLED' | 'DISABLED';
  expires_at: Date;
  hash: Uint8Array | null;
  hash_key_version: number | null;
  public_key_jwk: unknown;
  fingerprint: string | null;
  sa_id: string;
  organization_id: string;
  org_slug: string;
  sa_name: string;
  sa_status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
  is_admin: boolean;
  platform: string;
  token_lifetime_seconds: number;
  ip_allow_list: string[];
  scopes: string[];
  require_dpop: boolean;
};

// One round trip per token request: the credential, its account, organization and scope names.
const ACCOUNT_COLUMNS = `
  sa.id AS sa_id, sa.organization_id, o.slug AS org_slug, sa.name AS sa_name, sa.status::text AS sa_status,
  sa.is_admin, sa.platform::text AS platform, sa.token_lifetime_seconds, sa.ip_allow_list, sa.require_dpop,
  COALESCE((SELECT array_agg(s.name ORDER BY s.name) FROM service_account_scopes sas JOIN scopes s ON s.id = sas.scope_id
            WHERE sas.service_account_id = sa.id AND s.retired_at IS NULL), '{}') AS scopes`;

function toPrincipal(kind: CredentialKind, row: Row | undefined): Principal | null {
  if (!row) return null;
  return {
    kind,
    credentialId: row.credential_id,
    credentialStatus: row.credential_status,
    credentialExpiresAt: row.expires_at,
    hash: row.hash,
    hashKeyVersion: row.hash_key_version,
    publicKeyJwk: row.public_key_jwk,
    fingerprint: row.fingerprint,
    fromCache: false,
    account: {
      id: row.sa_id,
      organizationId: row.organization_id,
      orgSlug: row.org_slug,
      name: row.sa_name,
      status: row.sa_status,
      isAdmin: row.is_admin,
      platform: row.platform,
      tokenLifetimeSeconds: row.token_lifetime_seconds,
      ipAllowList: row.ip_allow_list,
      scopes: row.scopes,
      requireDpop: row.require_dpop,
    },
  };
}

const FROM = (table: string) =>
  `FROM ${table} c JOIN service_accounts sa ON sa.id = c.service_account_id JOIN organizations o ON o.id = sa.organization_id`;
// Client secrets come from a view (migration 0005) that also computes their fingerprint, so
// that the audit batch can tell whether a cached copy still holds (see findClientSecret).
const SECRET_SQL = `SELECT p.*, NULL::jsonb AS public_key_jwk FROM latchkey_client_secret_principals p WHERE p.credential_id = $1`;
const KEY_PAIR_SQL = `SELECT c.id AS credential_id, c.status::text AS credential_status, c.expires_at, NULL::bytea AS hash,
  NULL::int AS hash_key_version, c.public_key_jwk, NULL::text AS fingerprint, ${ACCOUNT_COLUMNS} ${FROM('key_pairs')} WHERE c.id = $1`;
const PAIR_SQL = (
  column: 'client_token' | 'id',
) => `SELECT c.id AS credential_id, c.status::text AS credential_status, c.expires_at,
  c.server_token_hash AS hash, c.hash_key_version, NULL::jsonb AS public_key_jwk, NULL::text AS fingerprint, ${ACCOUNT_COLUMNS} ${FROM('client_token_pairs')} WHERE c.${column} = $1`;
const PAIR_BY_TOKEN_SQL = PAIR_SQL('client_token');
const PAIR_BY_ID_SQL = PAIR_SQL('id');

/**
 * Client secrets as last read, by key id, for the client_credentials grant: the hottest path
 * of the service, where one read per request costs as much as the rest of the request. A copy
 * is only ever a basis for a decision that the database confirms: the issuance's audit batch
 * commits only if the secret's fingerprint is unchanged (lib/audit/token-event-writer.ts), and a refusal is decided
 * again on fresh data (token-service.ts runGrant). Entries also expire after CACHE_TTL_MS.
 */
const CACHE_TTL_MS = 60_000;
const cachedSecrets = new LRUCache<string, Principal>({ max: 10_000, ttl: CACHE_TTL_MS });
/**
 * Key ids found unknown, kept apart from the secrets (so that a flood of made-up ids never
 * evicts a real client's entry). They exist so that an unknown id is decided exactly as a known
 * one with a wrong secret is: on a cached answer first, then again on fresh data (token-service.ts
 * runGrant), one database read either way; no timing tells the two apart.
 */
const unknownSecrets = new LRUCache<string, true>({ max: 10_000, ttl: CACHE_TTL_MS });

/** A client secret as looked up: `fromCache` when the answer (found or not) came from the cache. */
export type SecretLookup = { principal: Principal | null; fromCache: boolean };

/**
 * lookupClientSecret loads a client secret by its key id (kid_…) with its account; with
 * `cached`, an answer read earlier will do (then `fromCache`, and a found copy's `fromCache`).
 */
export async function lookupClientSecret(id: string, cached: boolean): Promise<SecretLookup> {
  if (cached) {
    const hit = cachedSecrets.get(id);
    if (hit) return { principal: hit, fromCache: true };
    if (unknownSecrets.get(id)) return { principal: null, fromCache: true };
  }
  const principal = toPrincipal('client_secret', (await hotQuery<Row>(SECRET_SQL, [id])).rows[0]);
  if (principal) {
    cachedSecrets.set(id, { ...principal, fromCache: true });
    unknownSecrets.delete(id);
  } else {
    cachedSecrets.delete(id);
    unknownSecrets.set(id, true);
  }
  return { principal, fromCache: false };
}

/** findClientSecret loads a client secret by its key id (kid_…) with its account, fresh unless `cached`. */
export async function findClientSecret(id: string, options: { cached?: boolean } = {}): Promise<Principal | null> {
  return (await lookupClientSecret(id, options.cached === true)).principal;
}

/**
 * findClientSecretAlong loads a client secret (fresh, as findClientSecret does) together with
 * one more row, computed by `lateral` (an SQL subquery over parameters $2…, joined LATERAL to
 * the secret), in one round trip: the introspection endpoint reads its caller and the token's
 * state together. `lateral` must be a fixed text (it becomes a prepared statement).
 */
export async function findClientSecretAlong<T>(
  id: string,
  lateral: string,
  values: unknown[],
): Promise<{ principal: Principal | null; along: T | null }> {
  const text = `SELECT p.*, NULL::jsonb AS public_key_jwk, to_jsonb(x) AS along FROM latchkey_client_secret_principals p LEFT JOIN LATERAL (${lateral}) x ON true WHERE p.credential_id = $1`;
  const row = (await hotQuery<Row & { along: T | null }>(text, [id, ...values])).rows[0];
  return { principal: toPrincipal('client_secret', row), along: row?.along ?? null };
}

/** forgetClientSecret drops the cached copy of a client secret (it was found outdated). */
export function forgetClientSecret(id: string): void {
  cachedSecrets.delete(id);
  unknownSecrets.delete(id);
}

/** findKeyPair loads a key pair by its key id (kp_…) with its account. */
export async function findKeyPair(id: string): Promise<Principal | null> {
  return toPrincipal('key_pair', (await hotQuery<Row>(KEY_PAIR_SQL, [id])).rows[0]);
}

type FederatedRow = Row & {
  issuer: string;
  key_source: FederatedPolicy['keySource'];
  jwks_uri: string | null;
  inline_jwks: unknown;
  audience: string;
  subject_match: FederatedPolicy['subjectMatch'];
  subject: string;
  claim_conditions: FederatedPolicy['claimConditions'];
  allowed_algorithms: string[];
  max_token_age_seconds: number;
};
const FEDERATED_SQL = `SELECT c.id AS credential_id, c.status::text AS credential_status, c.expires_at, NULL::bytea AS hash,
  NULL::int AS hash_key_version, NULL::jsonb AS public_key_jwk, NULL::text AS fingerprint,
  c.issuer, c.key_source::text AS key_source, c.jwks_uri, c.inline_jwks, c.audience, c.subject_match::text AS subject_match,
  c.subject, c.claim_conditions, c.allowed_algorithms, c.max_token_age_seconds,
  ${ACCOUNT_COLUMNS} ${FROM('federated_credentials')} WHERE c.id = $1`;

/**
 * findFederatedCredential loads a federated credential (fc_…) with its policy and account,
 * fresh on every request (never cached, as key pairs): a disable, a suspension or a revocation
 * holds from the next request on, on every instance.
 */
export async function findFederatedCredential(id: string): Promise<Principal | null> {
  const row = (await hotQuery<FederatedRow>(FEDERATED_SQL, [id])).rows[0];
  const principal = toPrincipal('federated_credential', row);
  if (!principal || !row) return null;
  principal.federation = {
    issuer: row.issuer,
    keySource: row.key_source,
    jwksUri: row.jwks_uri,
    inlineJwks: row.inline_jwks,
    audience: row.audience,
    subjectMatch: row.subject_match,
    subject: row.subject,
    claimConditions: row.claim_conditions,
    allowedAlgorithms: row.allowed_algorithms,
    maxTokenAgeSeconds: row.max_token_age_seconds,
  };
  return principal;
}

/** findClientTokenPair loads a client token pair by its publishable client token or its id. */
export async function findClientTokenPair(by: { clientToken: string } | { id: string }): Promise<Principal | null> {
  const rows =
    'clientToken' in by
      ? (await hotQuery<Row>(PAIR_BY_TOKEN_SQL, [by.clientToken])).rows
      : (await hotQuery<Row>(PAIR_BY_ID_SQL, [by.id])).rows;
  return toPrincipal('client_token_pair', rows[0]);
}

/** findPrincipalByCredentialId dispatches on the id's prefix (the client_id claim of a token). */
export async function findPrincipalByCredentialId(id: string): Promise<Principal | null> {
  if (id.startsWith('kid_')) return findClientSecret(id);
  if (id.startsWith('kp_')) return findKeyPair(id);
  if (id.startsWith('ctp_')) return findClientTokenPair({ id });
  if (id.startsWith('fc_')) return findFederatedCredential(id);
  return null;
}

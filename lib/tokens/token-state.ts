import 'server-only';
import { db } from '@/lib/db/client';
import type { Tx } from '@/lib/db/client';
import { hotQuery } from '@/lib/db/hot-db';
import { findClientSecretAlong, type Principal } from '@/lib/credentials/principals';
import { scopeList, verifyAccessToken, type AccessTokenClaims } from './access-token';

export type ActiveAccessToken = {
  claims: AccessTokenClaims;
  scopes: string[];
  organizationId: string;
  orgSlug: string;
  accountName: string;
  isAdmin: boolean;
};

type StateRow = {
  organization_id: string;
  org_slug: string;
  name: string;
  status: string;
  is_admin: boolean;
  revoked: boolean;
  credential_ok: boolean;
  /** Whole seconds (floor) of the account's and the credential's tokensValidAfter, or null. */
  account_valid_after: number | null;
  credential_valid_after: number | null;
  held_scopes: string[];
  /** The project and environment a narrowed token names still hold (narrowingHoldsSql; true when it names none). */
  narrowing_ok: boolean;
};

/** The tables of every credential kind that can obtain an access token (its `client_id`). */
const CREDENTIAL_TABLES = ['client_secrets', 'key_pairs', 'client_token_pairs', 'federated_credentials'] as const;

/**
 * credentialStateJoin is the one statement of "is the credential behind a token still good":
 * `LEFT JOIN LATERAL (…) cred`, giving cred.ok (enabled and unexpired) and cred.tokens_valid_after
 * of the credential whose id is the SQL expression `clientId`, belonging to the account `sa`.
 * Every reader of a token's lifecycle uses it (here and lib/tokens/live-tokens.ts), so a new
 * credential kind is added to them all at once.
 */
export function credentialStateJoin(clientId: string): string {
  const selects = CREDENTIAL_TABLES.map(
    (table) =>
      `SELECT c.status = 'ENABLED' AND c.expires_at > now() AS ok, c.tokens_valid_after FROM ${table} c WHERE c.id = ${clientId} AND c.service_account_id = sa.id`,
  );
  return `LEFT JOIN LATERAL (${selects.join(' UNION ALL ')} LIMIT 1) cred ON true`;
}

/**
 * narrowingHoldsSql is the one SQL condition of "the project and environment a token is narrowed
 * to still hold", for the SQL expressions `projectId` and `environmentId` (NULL: not narrowed)
 * of a token of the account `sa`: both still exist in its organization, and the account is still
 * bound, through a role that is not retired, organization-wide or to that project (what
 * lib/oauth/narrowing.ts asked when the token was issued). Deleting the project or environment,
 * removing the binding or retiring the role ends such a token from the next request on.
 */
export function narrowingHoldsSql(projectId: string, environmentId: string): string {
  return `((${projectId})::text IS NULL
           OR (EXISTS (SELECT 1 FROM projects p WHERE p.id = ${projectId} AND p.organization_id = sa.organization_id)
               AND EXISTS (SELECT 1 FROM role_bindings rb JOIN roles ro ON ro.id = rb.role_id
                           WHERE rb.service_account_id = sa.id AND ro.retired_at IS NULL
                             AND (rb.project_id IS NULL OR rb.project_id = ${projectId}))))
         AND ((${environmentId})::text IS NULL
              OR EXISTS (SELECT 1 FROM environments en
                         WHERE en.id = ${environmentId} AND en.organization_id = sa.organization_id))`;
}

/**
 * The lifecycle state of a token (jti, client_id, sub, root_jti, project_id, environment_id are
 * the parameters' positions). A token is revoked when its own jti is, or the jti its token
 * exchanges started from; a token whose narrowing no longer holds (narrowingHoldsSql) is dead too.
 */
const stateSql = (
  jti: string,
  clientId: string,
  sub: string,
  rootJti: string,
  projectId: string,
  environmentId: string,
) => `
  SELECT sa.organization_id, o.slug AS org_slug, sa.name, sa.status::text AS status, sa.is_admin,
         EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = ${jti} OR r.jti = ${rootJti}) AS revoked,
         COALESCE(cred.ok, false) AS credential_ok,
         floor(extract(epoch FROM sa.tokens_valid_after))::float8 AS account_valid_after,
         floor(extract(epoch FROM cred.tokens_valid_after))::float8 AS credential_valid_after,
         COALESCE((SELECT array_agg(s.name) FROM service_account_scopes sas JOIN scopes s ON s.id = sas.scope_id
                   WHERE sas.service_account_id = sa.id AND s.retired_at IS NULL), '{}') AS held_scopes,
         ${narrowingHoldsSql(projectId, environmentId)}
           AS narrowing_ok
  FROM service_accounts sa JOIN organizations o ON o.id = sa.organization_id
  ${credentialStateJoin(clientId)}
  WHERE sa.id = ${sub}`;
const STATE_SQL = stateSql('$1', '$2', '$3', '$4', '$5', '$6');
/** The same, as findClientSecretAlong's subquery (its parameters come after the secret's id). */
const STATE_ALONG_SQL = stateSql('$2', '$3', '$4', '$5', '$6', '$7');

function stateParameters(claims: AccessTokenClaims): unknown[] {
  return [
    claims.jti,
    claims.client_id,
    claims.sub,
    claims.root_jti ?? null,
    claims.project_id ?? null,
    claims.environment_id ?? null,
  ];
}

/** What is known of a token: its verified claims (null: it did not verify) and its lifecycle state as read (null: its account is gone). */
export type TokenState = { claims: AccessTokenClaims | null; row: StateRow | null };

/**
 * issuedBefore tells whether a token issued at `iat` predates a suspension or disable made in
 * the second `validAfter` (both whole seconds). iat has no fraction, so a token issued in the
 * same second as the suspension cannot be told apart from one issued just before it: equal
 * counts as before (dead). The cost is that a token issued in that same second after a
 * reactivation is dead too, which only asks the client for a new one.
 */
function issuedBefore(iat: number, validAfter: number | null): boolean {
  return validAfter !== null && iat <= validAfter;
}

/**
 * activeAccessToken returns a token's claims and owner when the token is valid right now:
 * signature, issuer, audience and expiry (verifyAccessToken), not revoked, its account ACTIVE,
 * and the credential that obtained it (client_id) still enabled and unexpired, and the token
 * issued after the account's last suspension and the credential's last disable (so that a
 * reactivation or a re-enable never revives it). One query, or
 * none when `known` is the state read together with something else (readCallerAndTokenState).
 * `scopes` are the token's scopes that the account still holds.
 * This is what introspection, token exchange and the management API all rely on, so the
 * lifecycle rules hold the same everywhere.
 */
export async function activeAccessToken(token: string, known?: TokenState): Promise<ActiveAccessToken | null> {
  const claims = known ? known.claims : await verifyAccessToken(token);
  if (!claims) return null;
  const row = known ? known.row : (await hotQuery<StateRow>(STATE_SQL, stateParameters(claims))).rows[0];
  if (!row || row.status !== 'ACTIVE' || row.revoked || !row.credential_ok || !row.narrowing_ok) return null;
  if (issuedBefore(claims.iat, row.account_valid_after) || issuedBefore(claims.iat, row.credential_valid_after))
    return null;
  // A scope removed from the account since issuance no longer counts.
  const scopes = scopeList(claims.scope).filter((s) => row.held_scopes.includes(s));
  return {
    claims,
    scopes,
    organizationId: row.organization_id,
    orgSlug: row.org_slug,
    accountName: row.name,
    isAdmin: row.is_admin,
  };
}

/**
 * readCallerAndTokenState reads a client secret (a caller authenticating with it) and the state
 * of an access token whose claims are verified, in one round trip.
 */
export async function readCallerAndTokenState(
  secretId: string,
  claims: AccessTokenClaims,
): Promise<{ principal: Principal | null; state: TokenState }> {
  const { principal, along } = await findClientSecretAlong<StateRow>(
    secretId,
    STATE_ALONG_SQL,
    stateParameters(claims),
  );
  return { principal, state: { claims, row: along } };
}

/** revokeAccessToken records a token's jti as revoked until the token would expire anyway. */
export async function revokeAccessToken(tx: Tx, claims: AccessTokenClaims, organizationId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO revoked_tokens (jti, organization_id, service_account_id, expires_at)
    VALUES (${claims.jti}, ${organizationId}, ${claims.sub}, ${new Date(claims.exp * 1000)})
    ON CONFLICT (jti) DO NOTHING`;
}

/** purgeRevokedTokens forgets revocations of tokens that have expired. */
export async function purgeRevokedTokens(now = new Date()): Promise<number> {
  return db.$executeRaw`DELETE FROM revoked_tokens WHERE expires_at < ${now}`;
}

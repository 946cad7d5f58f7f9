import 'server-only';
import type { RequestMeta } from '@/lib/audit/actor';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { MANAGEMENT_SCOPE_PERMISSIONS } from '@/lib/auth/permissions';
import { db } from '@/lib/db/client';
import { requestMeta } from '@/lib/http/request-meta';
import { findRefreshToken, revokeRefreshFamily } from '@/lib/tokens/refresh-token';
import {
  activeAccessToken,
  readCallerAndTokenState,
  revokeAccessToken,
  type TokenState,
} from '@/lib/tokens/token-state';
import { verifyAccessToken } from '@/lib/tokens/access-token';
import { auditableClientId, authenticateClient, parseBasic, type TokenAttempt } from './client-auth';
import { publishedJwks } from '@/lib/signing-keys/signing-keys';
import { oauthErrorReply, oauthReply, readForm, toResponse, type OAuthReply, type OAuthRequest } from './errors';
import { issuerUrl } from './issuer';
import { findClientSecret, type Principal } from './principals';
import { settledOutcome, tokenRateLimits } from './rate-limits';
import { refuse } from './refusal';
import { exchangeToken, limitCaller, refuseUnreadable } from './token-service';

/**
 * tokenEndpoint is POST /api/oauth/token: read the form, run the token service, render the
 * RFC 6749 answer. A body that cannot be read is refused (and audited) like any other request.
 * Both mounts call it: the Next.js route (handleTokenRequest) and the production server's
 * fast path (lib/oauth/node-mount.ts).
 */
export async function tokenEndpoint(request: OAuthRequest): Promise<OAuthReply> {
  const meta = requestMeta(request.headers);
  const ctx = { meta, endpoint: '/api/oauth/token' };
  try {
    let form: URLSearchParams;
    try {
      form = await readForm(request);
    } catch (error) {
      return await refuseUnreadable('(none)', ctx, error);
    }
    return oauthReply(await exchangeToken(form, request.headers.get('authorization'), ctx), meta.requestId);
  } catch (error) {
    return oauthErrorReply(error, meta.requestId);
  }
}

export async function handleTokenRequest(request: Request): Promise<Response> {
  return toResponse(await tokenEndpoint(request));
}

async function callerOf(
  request: OAuthRequest,
  form: URLSearchParams,
  ip: string | null,
  readSecret?: TokenAttempt['readSecret'],
): Promise<Principal> {
  const attempt: TokenAttempt = { grantType: '', clientId: null, principal: null, readSecret };
  const authorization = request.headers.get('authorization');
  const presented =
    authorization && /^Basic\s/i.test(authorization) ? (parseBasic(authorization)?.id ?? null) : form.get('client_id');
  const clientId = auditableClientId(presented);
  await limitCaller(ip, clientId);
  try {
    const client = await authenticateClient(request.headers.get('authorization'), form, attempt);
    if (!client) refuse('invalid_client', 'no_client_auth', 'Client authentication is required.');
    return client.principal;
  } catch (error) {
    // A failed caller authentication counts like a failed token request (lib/oauth/rate-limits.ts).
    if (settledOutcome(error)) await tokenRateLimits().settled(ip, clientId, 'failure');
    throw error;
  }
}

const INACTIVE = { active: false } as const;

/**
 * introspect implements RFC 7662 for a caller authenticated like a token client. A token is
 * active only if it is valid right now under every lifecycle rule (lib/tokens/token-state.ts)
 * and belongs to the caller's organization: another organization's token answers
 * {"active": false}, exactly like an unknown one. Refresh tokens (lk_rt_…) are introspected too.
 */
export async function introspect(
  caller: Principal,
  token: string,
  known?: TokenState,
): Promise<Record<string, unknown>> {
  if (caller.account.status !== 'ACTIVE') return INACTIVE;
  if (token.startsWith('lk_rt_')) {
    const stored = await findRefreshToken(token);
    if (
      !stored ||
      stored.organizationId !== caller.account.organizationId ||
      stored.usedAt ||
      stored.revokedAt ||
      stored.expiresAt.getTime() <= Date.now()
    )
      return INACTIVE;
    const owner = await db.serviceAccount.findFirst({
      where: { id: stored.serviceAccountId, organizationId: stored.organizationId, status: 'ACTIVE' },
      select: { id: true },
    });
    if (!owner) return INACTIVE;
    return {
      active: true,
      token_type: 'refresh_token',
      scope: stored.scope,
      client_id: stored.clientTokenPairId,
      sub: stored.serviceAccountId,
      exp: Math.floor(stored.expiresAt.getTime() / 1000),
      iss: issuerUrl(),
    };
  }
  const active = await activeAccessToken(token, known);
  if (!active || active.organizationId !== caller.account.organizationId) return INACTIVE;
  const c = active.claims;
  return {
    active: true,
    token_type: 'Bearer',
    scope: active.scopes.join(' '),
    client_id: c.client_id,
    sub: c.sub,
    iss: c.iss,
    aud: c.aud,
    exp: c.exp,
    iat: c.iat,
    jti: c.jti,
    ...(c.project_id ? { project_id: c.project_id } : {}),
    ...(c.environment_id ? { environment_id: c.environment_id } : {}),
  };
}

/** introspectionEndpoint is POST /api/oauth/introspect (both mounts). */
export async function introspectionEndpoint(request: OAuthRequest): Promise<OAuthReply> {
  const meta = requestMeta(request.headers);
  try {
    const form = await readForm(request);
    const token = form.get('token');
    // A caller with a client secret asking about an access token: once the caller's limits and
    // credentials' shape have passed, the token's signature is checked (in memory), and the
    // caller and the token's state are read in one round trip.
    let known: TokenState | undefined;
    const readSecret =
      token && !token.startsWith('lk_rt_')
        ? async (id: string) => {
            const claims = await verifyAccessToken(token);
            if (!claims) {
              known = { claims: null, row: null };
              return findClientSecret(id);
            }
            const read = await readCallerAndTokenState(id, claims);
            known = read.state;
            return read.principal;
          }
        : undefined;
    const caller = await callerOf(request, form, meta.ip, readSecret);
    if (!token) refuse('invalid_request', 'token_missing', 'token is required.');
    return oauthReply(await introspect(caller, token, known), meta.requestId);
  } catch (error) {
    return oauthErrorReply(error, meta.requestId);
  }
}

export async function handleIntrospection(request: Request): Promise<Response> {
  return toResponse(await introspectionEndpoint(request));
}

/**
 * revoke implements RFC 7009: an access token (its jti is recorded until it would expire) or a
 * refresh token (its whole family) of the caller's own service account is revoked and audited.
 * Unknown, invalid or foreign tokens are ignored: the answer is 200 either way (RFC 7009 §2.2).
 */
export async function revoke(caller: Principal, token: string, meta: RequestMeta): Promise<void> {
  const actor = { type: 'SERVICE_ACCOUNT', id: caller.account.id, label: caller.account.name } as const;
  const orgId = caller.account.organizationId;
  if (token.startsWith('lk_rt_')) {
    const stored = await findRefreshToken(token);
    if (!stored || stored.serviceAccountId !== caller.account.id) return;
    await db.$transaction(async (tx) => {
      const count = await revokeRefreshFamily(tx, stored.familyId);
      await recordAuditEvent(tx, {
        organizationId: orgId,
        actor,
        action: 'token.revoked',
        target: { type: 'service_account', id: caller.account.id },
        meta,
        details: {
          token_type: 'refresh_token',
          family_id: stored.familyId,
          revoked: count,
          client_id: caller.credentialId,
        },
      });
    });
    return;
  }
  const claims = await verifyAccessToken(token);
  if (!claims || claims.sub !== caller.account.id) return;
  await db.$transaction(async (tx) => {
    await revokeAccessToken(tx, claims, orgId);
    await recordAuditEvent(tx, {
      organizationId: orgId,
      actor,
      action: 'token.revoked',
      target: { type: 'service_account', id: caller.account.id },
      meta,
      details: { token_type: 'access_token', jti: claims.jti, client_id: caller.credentialId },
    });
  });
}

/** revocationEndpoint is POST /api/oauth/revoke (both mounts). */
export async function revocationEndpoint(request: OAuthRequest): Promise<OAuthReply> {
  const meta = requestMeta(request.headers);
  try {
    const form = await readForm(request);
    const caller = await callerOf(request, form, meta.ip);
    const token = form.get('token');
    if (!token) refuse('invalid_request', 'token_missing', 'token is required.');
    const hint = form.get('token_type_hint');
    if (hint !== null && hint !== 'access_token' && hint !== 'refresh_token') {
      return oauthReply(
        {
          error: 'unsupported_token_type',
          error_description: 'token_type_hint must be access_token or refresh_token.',
        },
        meta.requestId,
        400,
      );
    }
    await revoke(caller, token, meta);
    return oauthReply({}, meta.requestId);
  } catch (error) {
    return oauthErrorReply(error, meta.requestId);
  }
}

export async function handleRevocation(request: Request): Promise<Response> {
  return toResponse(await revocationEndpoint(request));
}

/** authorizationServerMetadata is the RFC 8414 document. */
export function authorizationServerMetadata(): Record<string, unknown> {
  const iss = issuerUrl();
  const authMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
  return {
    issuer: iss,
    token_endpoint: `${iss}/api/oauth/token`,
    jwks_uri: `${iss}/.well-known/jwks.json`,
    introspection_endpoint: `${iss}/api/oauth/introspect`,
    revocation_endpoint: `${iss}/api/oauth/revoke`,
    grant_types_supported: [
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:token-exchange',
    ],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: ['ES256'],
    introspection_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_signing_alg_values_supported: ['ES256'],
    revocation_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_signing_alg_values_supported: ['ES256'],
    // Issuer-wide scopes only: the management scopes every organization's admin accounts may hold.
    // The catalogs of product scopes (TILE, MATRIX, …) belong to each organization and differ
    // between them; one issuer serves all organizations, so a public document listing them would
    // be wrong for most clients and would tell anyone the names every tenant uses.
    scopes_supported: Object.keys(MANAGEMENT_SCOPE_PERMISSIONS),
    service_documentation: `${iss}/api/openapi.json`,
  };
}

const PUBLIC_CACHE = 'public, max-age=300';

/**
 * metadataReply is GET /.well-known/oauth-authorization-server (both mounts), and also
 * /.well-known/openid-configuration: the same OAuth-only document under the OpenID Connect
 * discovery name, because OIDC-first clients (openid-client's default discovery()) ask there
 * first. Latchkey issues no ID tokens, so the document claims no OpenID Connect features.
 */
export function metadataReply(): OAuthReply {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': PUBLIC_CACHE },
    body: JSON.stringify(authorizationServerMetadata()),
  };
}

/** jwksReply is GET /.well-known/jwks.json (both mounts): the published public signing keys. */
export async function jwksReply(): Promise<OAuthReply> {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': PUBLIC_CACHE },
    body: JSON.stringify(await publishedJwks()),
  };
}

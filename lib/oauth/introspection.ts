import 'server-only';
import { findClientSecret, type Principal } from '@/lib/credentials/principals';
import { db } from '@/lib/db/client';
import { requestMeta } from '@/lib/http/request-meta';
import { issuerUrl } from '@/lib/issuer';
import { verifyAccessToken } from '@/lib/tokens/access-token';
import { findRefreshToken } from '@/lib/tokens/refresh-token';
import { activeAccessToken, readCallerAndTokenState, type TokenState } from '@/lib/tokens/token-state';
import { authenticateCaller } from './caller-auth';
import { oauthErrorReply, oauthReply, readForm, toResponse, type OAuthReply, type OAuthRequest } from './errors';
import { refuse } from './refusal';

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
    const caller = await authenticateCaller(request, form, meta.ip, readSecret);
    if (!token) refuse('invalid_request', 'token_missing', 'token is required.');
    return oauthReply(await introspect(caller, token, known), meta.requestId);
  } catch (error) {
    return oauthErrorReply(error, meta.requestId);
  }
}

export async function handleIntrospection(request: Request): Promise<Response> {
  return toResponse(await introspectionEndpoint(request));
}

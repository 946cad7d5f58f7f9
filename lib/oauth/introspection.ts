import 'server-only';
import { findClientSecret, type Principal } from '@/lib/credentials/principals';
import { requestMeta } from '@/lib/http/request-meta';
import { issuerUrl } from '@/lib/issuer';
import { verifyAccessToken } from '@/lib/tokens/access-token';
import { findRefreshToken, refreshTokenUsable } from '@/lib/tokens/refresh-token';
import { activeAccessToken, readCallerAndTokenState, type TokenState } from '@/lib/tokens/token-state';
import { authenticateCaller } from './caller-auth';
import { oauthErrorReply, oauthReply, readForm, toResponse, type OAuthReply, type OAuthRequest } from './errors';
import { refuse } from './refusal';

const INACTIVE = { active: false } as const;

/**
 * introspect implements RFC 7662 for a caller authenticated like a token client. Who learns what:
 * - an access token: any active client of the token's organization (resource servers are clients
 *   of the organization, and the token's audience is the whole deployment), when the token is
 *   valid right now under every lifecycle rule (lib/tokens/token-state.ts); another
 *   organization's token answers {"active": false}, exactly like an unknown one;
 * - a refresh token (lk_rt_…): only the client it was issued to (its audience is this server
 *   alone), when it is usable right now (lib/tokens/refresh-token.ts refreshTokenUsable); anyone
 *   else gets {"active": false}.
 */
export async function introspect(
  caller: Principal,
  token: string,
  known?: TokenState,
): Promise<Record<string, unknown>> {
  if (caller.account.status !== 'ACTIVE') return INACTIVE;
  if (token.startsWith('lk_rt_')) {
    const stored = await findRefreshToken(token);
    // Only the token's own client learns anything of a refresh token (its audience is this server).
    if (!stored || stored.clientTokenPairId !== caller.credentialId || !(await refreshTokenUsable(stored)))
      return INACTIVE;
    return {
      active: true,
      token_type: 'refresh_token',
      scope: stored.scope,
      client_id: stored.clientTokenPairId,
      sub: stored.serviceAccountId,
      exp: Math.floor(stored.expiresAt.getTime() / 1000),
      iss: issuerUrl(),
      // A refresh token issued with a DPoP proof is bound to its key.
      ...(stored.dpopJkt ? { cnf: { jkt: stored.dpopJkt } } : {}),
    };
  }
  const active = await activeAccessToken(token, known);
  if (!active || active.organizationId !== caller.account.organizationId) return INACTIVE;
  const c = active.claims;
  return {
    active: true,
    // RFC 9449 §6.2: a DPoP-bound token says so, and names its key.
    token_type: c.cnf ? 'DPoP' : 'Bearer',
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
    ...(c.cnf ? { cnf: { jkt: c.cnf.jkt } } : {}),
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

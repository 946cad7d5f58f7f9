import 'server-only';
import { requestMeta } from '@/lib/http/request-meta';
import type { TokenAttempt } from './attempt';
import { authenticateClient } from './client-auth';
import { presentedClientId } from './client-id';
import { currentDpopNonce, dpopNoncesEnabled, dpopPresentation, type DpopPresentation } from './dpop';
import { oauthErrorReply, oauthReply, readForm, toResponse, type OAuthReply, type OAuthRequest } from './errors';
import { grantHandler, grantTypes } from './grants';
import type { GrantOutcome, TokenCallContext, TokenResult } from './grants/types';
import { refuse } from './refusal';
import { refuseUnreadable, runGrant } from './token-service';

/**
 * serveTokenRequest decides one POST /api/oauth/token request (RFC 6749 §3.2) from its form
 * parameters and Authorization header: parameters may not repeat, the grant_type names a
 * registered grant (lib/oauth/grants/), the client authenticates in at most one way, and the
 * grant's handler decides, inside the frame every issuance shares (token-service.ts runGrant).
 * A DPoP proof (RFC 9449), when `dpop` has one, binds the tokens to its key (issue-token.ts mintFor).
 * Throws AppError/TokenRefusal with RFC 6749 codes; lib/oauth/errors.ts renders them.
 */
export async function serveTokenRequest(
  form: URLSearchParams,
  authorization: string | null,
  ctx: TokenCallContext,
  dpop?: DpopPresentation,
): Promise<TokenResult> {
  const grantType = form.get('grant_type') ?? '';
  const handler = grantHandler(grantType);
  return runGrant(
    grantType || '(none)',
    ctx,
    presentedClientId(form, authorization),
    async (attempt: TokenAttempt): Promise<GrantOutcome> => {
      const keys = [...form.keys()];
      if (new Set(keys).size !== keys.length)
        refuse('invalid_request', 'repeated_parameter', 'A parameter was sent more than once.');
      if (!grantType) refuse('invalid_request', 'grant_type_missing', 'grant_type is required.');
      if (!handler)
        refuse(
          'unsupported_grant_type',
          'unsupported_grant_type',
          `Unsupported grant_type. Supported: ${grantTypes().join(', ')}.`,
        );
      const client = await authenticateClient(authorization, form, attempt);
      return handler.handle({ form, client, attempt, ctx });
    },
    { cacheable: handler?.cacheable === true, dpop },
  );
}

/**
 * tokenEndpoint is POST /api/oauth/token: read the form, serve the request, render the RFC
 * 6749 answer. A body that cannot be read is refused (and audited) like any other request.
 * A DPoP proof must name POST and the token endpoint's public URL (the issuer's: what the client
 * addressed, whatever proxy passed the request on). With DPOP_NONCE=on every answer carries the
 * current server nonce (DPoP-Nonce, RFC 9449 §8), so a client refused with use_dpop_nonce can retry.
 * Both mounts call it: the Next.js route (handleTokenRequest) and the production server's
 * fast path (lib/oauth/node-mount.ts).
 */
export async function tokenEndpoint(request: OAuthRequest): Promise<OAuthReply> {
  const reply = await answerTokenRequest(request);
  if (dpopNoncesEnabled()) reply.headers['DPoP-Nonce'] = currentDpopNonce();
  return reply;
}

async function answerTokenRequest(request: OAuthRequest): Promise<OAuthReply> {
  const meta = requestMeta(request.headers);
  const ctx = { meta, endpoint: '/api/oauth/token' };
  const dpop = dpopPresentation(request.headers, ctx.endpoint);
  try {
    let form: URLSearchParams;
    try {
      form = await readForm(request);
    } catch (error) {
      return await refuseUnreadable('(none)', ctx, error);
    }
    return oauthReply(await serveTokenRequest(form, request.headers.get('authorization'), ctx, dpop), meta.requestId);
  } catch (error) {
    return oauthErrorReply(error, meta.requestId);
  }
}

export async function handleTokenRequest(request: Request): Promise<Response> {
  return toResponse(await tokenEndpoint(request));
}

import 'server-only';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { requestMeta } from '@/lib/http/request-meta';
import { issuerUrl } from '@/lib/issuer';
import { refuse } from '@/lib/oauth/refusal';
import { assertionGrant } from '@/lib/oauth/grants/jwt-bearer';
import type { TokenResult } from '@/lib/oauth/grants/types';
import { dpopPresentation } from '@/lib/oauth/dpop';
import { refuseUnreadable, runGrant } from '@/lib/oauth/token-service';
import { readCompatBody } from '../body';
import { highMobilityError } from './errors';

export const HIGH_MOBILITY_PREFIX = '/compat/high-mobility/v1';
const ENDPOINT = `${HIGH_MOBILITY_PREFIX}/auth_tokens`;
const GRANT_TYPE = 'high_mobility:assertion';

/** The `aud` a High Mobility assertion must carry, as a single string: this flow's base URL (or its endpoint). */
export function highMobilityAudiences(): string[] {
  return [`${issuerUrl()}${HIGH_MOBILITY_PREFIX}`, `${issuerUrl()}${ENDPOINT}`];
}

// Any JSON object or form is readable; a missing or non-string `assertion` is High Mobility's
// documented 401 "Missing or invalid assertion", decided (and audited) inside the grant.
const bodySchema = z.object({ assertion: z.unknown().optional() });

function issuerOf(assertion: string): string | null {
  try {
    const iss = decodeJwt(assertion).iss;
    return typeof iss === 'string' ? iss : null;
  } catch {
    return null;
  }
}

/** validity is the token's lifetime as High Mobility states it: ISO 8601 `valid_from` / `valid_until`. */
function validity(result: TokenResult): { valid_from: string; valid_until: string } {
  const now = Math.floor(Date.now() / 1000);
  let from = now;
  let until = now + result.expires_in;
  try {
    const claims = decodeJwt(result.access_token);
    if (typeof claims.iat === 'number') from = claims.iat;
    if (typeof claims.exp === 'number') until = claims.exp;
  } catch {
    // Our own token always decodes; the fallback above is only a guard.
  }
  return { valid_from: new Date(from * 1000).toISOString(), valid_until: new Date(until * 1000).toISOString() };
}

/**
 * highMobilityAuthToken serves POST /compat/high-mobility/v1/auth_tokens: `{"assertion": JWT}`
 * (JSON or form), an ES256 JWT signed with a key pair whose claims are `iss` (the key id),
 * `aud` (one string), `iat` (30 s tolerance), `jti` (a UUID, once) and `ver` (an integer). Answers 201
 * `{"auth_token", "valid_from", "valid_until"}` (High Mobility's ServiceAccountTokenResponse) or
 * their `{"errors": [{title, source, detail}]}`. The assertion rules, lifecycle checks, replay
 * guard and audit are the shared token service's.
 */
export async function highMobilityAuthToken(request: Request): Promise<Response> {
  const meta = requestMeta(request.headers);
  const ctx = { meta, endpoint: ENDPOINT };
  try {
    const body = await readCompatBody(request, bodySchema).catch((error: unknown) =>
      refuseUnreadable(GRANT_TYPE, ctx, error),
    );
    const assertion = typeof body.assertion === 'string' ? body.assertion.trim() : '';
    const result = await runGrant(
      GRANT_TYPE,
      ctx,
      assertion ? issuerOf(assertion) : null,
      async (attempt) => {
        if (!assertion)
          refuse(
            'invalid_grant',
            'assertion_missing',
            'Missing or invalid assertion. It must be a JWT signed with the service account key.',
          );
        return assertionGrant(
          assertion,
          { audiences: highMobilityAudiences(), requireExp: false, requiredClaims: ['ver'], integerClaims: ['ver'] },
          attempt,
          ctx,
          null,
        );
      },
      { dpop: dpopPresentation(request.headers, ENDPOINT) },
    );
    return Response.json(
      { auth_token: result.access_token, ...validity(result) },
      { status: 201, headers: { 'Cache-Control': 'no-store', 'X-Request-Id': meta.requestId } },
    );
  } catch (error) {
    return highMobilityError(error, meta.requestId);
  }
}

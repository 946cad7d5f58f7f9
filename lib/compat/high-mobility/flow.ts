import 'server-only';
import { z } from 'zod';
import { requestMeta } from '@/lib/http/request-meta';
import { issuerUrl } from '@/lib/oauth/issuer';
import { assertionGrant, refuseUnreadable, runGrant } from '@/lib/oauth/token-service';
import { decodeJwt } from 'jose';
import { readCompatBody } from '../body';
import { highMobilityError } from './errors';

export const HIGH_MOBILITY_PREFIX = '/compat/high-mobility/v1';
const ENDPOINT = `${HIGH_MOBILITY_PREFIX}/auth_tokens`;
const GRANT_TYPE = 'high_mobility:assertion';

/** The `aud` a High Mobility assertion must carry: this flow's base URL (or its endpoint). */
export function highMobilityAudiences(): string[] {
  return [`${issuerUrl()}${HIGH_MOBILITY_PREFIX}`, `${issuerUrl()}${ENDPOINT}`];
}

const bodySchema = z.object({ assertion: z.string({ error: 'assertion is required' }).min(1, { error: 'assertion is required' }).max(8192) });

function issuerOf(assertion: string): string | null {
  try {
    const iss = decodeJwt(assertion).iss;
    return typeof iss === 'string' ? iss : null;
  } catch {
    return null;
  }
}

/**
 * highMobilityAuthToken serves POST /compat/high-mobility/v1/auth_tokens: `{"assertion": JWT}`
 * (JSON or form), an ES256 JWT signed with a key pair whose claims are `iss` (the key id),
 * `aud`, `iat` (30 s tolerance), `jti` (once) and `ver`. Answers `{"auth_token", "expires_in"}`
 * or High Mobility's `{"errors": [{title, detail}]}`. The assertion rules, lifecycle checks,
 * replay guard and audit are the shared token service's.
 */
export async function highMobilityAuthToken(request: Request): Promise<Response> {
  const meta = requestMeta(request.headers);
  const ctx = { meta, endpoint: ENDPOINT };
  try {
    const { assertion } = await readCompatBody(request, bodySchema).catch((error: unknown) => refuseUnreadable(GRANT_TYPE, ctx, error));
    const result = await runGrant(GRANT_TYPE, ctx, issuerOf(assertion), async (attempt) => {
      return assertionGrant(assertion, { audiences: highMobilityAudiences(), requireExp: false, requiredClaims: ['ver'] }, attempt, ctx, null);
    });
    return Response.json(
      { auth_token: result.access_token, token_type: result.token_type, expires_in: result.expires_in, scope: result.scope },
      { status: 201, headers: { 'Cache-Control': 'no-store', 'X-Request-Id': meta.requestId } },
    );
  } catch (error) {
    return highMobilityError(error, meta.requestId);
  }
}

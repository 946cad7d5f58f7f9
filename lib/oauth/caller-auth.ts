import 'server-only';
import type { Principal } from '@/lib/credentials/principals';
import { TokenAttempt } from './attempt';
import { authenticateClient } from './client-auth';
import { presentedClientId } from './client-id';
import type { OAuthRequest } from './errors';
import { settledOutcome, tokenRateLimits } from './rate-limits';
import { refuse } from './refusal';
import { limitCaller } from './token-service';

/**
 * authenticateCaller authenticates the client calling introspection or revocation, exactly as
 * the token endpoint authenticates a client (lib/oauth/client-auth.ts), under the same rate
 * limits: a failed caller authentication counts like a failed token request
 * (lib/oauth/rate-limits.ts). Client authentication is required.
 */
export async function authenticateCaller(
  request: OAuthRequest,
  form: URLSearchParams,
  ip: string | null,
  readSecret?: TokenAttempt['readSecret'],
): Promise<Principal> {
  const authorization = request.headers.get('authorization');
  const attempt = new TokenAttempt('', presentedClientId(form, authorization), { readSecret });
  const clientId = attempt.clientId;
  await limitCaller(ip, clientId);
  try {
    const client = await authenticateClient(authorization, form, attempt);
    if (!client) refuse('invalid_client', 'no_client_auth', 'Client authentication is required.');
    return client.principal;
  } catch (error) {
    if (settledOutcome(error)) await tokenRateLimits().settled(ip, clientId, 'failure');
    throw error;
  }
}

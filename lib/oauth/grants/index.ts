import 'server-only';
import { clientCredentials } from './client-credentials';
import { jwtBearer } from './jwt-bearer';
import { refreshToken } from './refresh-token';
import { tokenExchange } from './token-exchange';
import type { GrantHandler } from './types';

/**
 * The grant types POST /api/oauth/token serves, one module each (the model is
 * node-oidc-provider's lib/actions/grants/). A new grant is a module and a line here; the
 * endpoint (lib/oauth/token-endpoint.ts), the metadata document and the frame around every
 * issuance (lib/oauth/token-service.ts) read this list.
 */
const HANDLERS: readonly GrantHandler[] = [clientCredentials, jwtBearer, refreshToken, tokenExchange];
const BY_TYPE = new Map(HANDLERS.map((h) => [h.type, h]));

/** grantTypes lists the supported grant_type values, in the order the metadata document gives them. */
export function grantTypes(): string[] {
  return HANDLERS.map((h) => h.type);
}

/** grantHandler is the handler of a grant_type, or undefined when it is not supported. */
export function grantHandler(type: string): GrantHandler | undefined {
  return BY_TYPE.get(type);
}

import type { RequestMeta } from '@/lib/audit/actor';
import type { Principal } from '@/lib/credentials/principals';
import type { TokenAttempt } from '../attempt';
import type { ClientAuth } from '../client-auth';
import type { IssuedDetails } from '../token-audit';

/** The token service's answer, in RFC 6749 §5.1 names; compat routes reshape it. */
export type TokenResult = {
  access_token: string;
  /** DPoP when the access token is bound to a key (RFC 9449 §5), else Bearer. */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  issued_token_type?: string;
};

/** Where a token request came from: request facts and which endpoint (for the audit log). */
export type TokenCallContext = { meta: RequestMeta; endpoint: string };

/**
 * What a grant decided: the principal the token is for, the answer, the audit details, and
 * `audited` when the grant wrote its TOKEN_ISSUED event itself (in the transaction that stored
 * a refresh token), so the frame does not write a second one.
 */
export type GrantOutcome = { principal: Principal; result: TokenResult; details: IssuedDetails; audited?: boolean };

/** One grant request at POST /api/oauth/token, its client already authenticated (or null: none presented). */
export type GrantRequest = {
  form: URLSearchParams;
  client: ClientAuth | null;
  attempt: TokenAttempt;
  ctx: TokenCallContext;
};

/**
 * A grant type the token endpoint serves (one module each under lib/oauth/grants/, listed in
 * lib/oauth/grants/index.ts). `cacheable`: may be decided on a cached copy of a client secret
 * (lib/oauth/token-service.ts runGrant).
 */
export type GrantHandler = {
  type: string;
  cacheable: boolean;
  handle(request: GrantRequest): Promise<GrantOutcome>;
};

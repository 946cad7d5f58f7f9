import 'server-only';
import { isWellFormedSecret } from '@/lib/credentials/secret-format';
import { keyedHashEquals } from '@/lib/crypto/keyed-hash';
import type { TokenAttempt } from './attempt';
import { isCredentialId, parseBasic } from './client-id';
import { ipMatches } from '@/lib/net/cidr';
import { env } from '@/lib/env';
import { MAX_CLIENT_ASSERTION_LIFETIME_SECONDS, verifyAssertion } from './assertion';
import { issuerUrl, tokenUrl } from '@/lib/issuer';
import { findClientTokenPair, lookupClientSecret, type Principal } from '@/lib/credentials/principals';
import { currentMasterKey } from '@/lib/crypto/master-keys';
import { CLIENT_AUTH_FAILED, refuse, uniformDetail } from './refusal';
import { authenticateFederated } from '@/lib/federation/authenticate';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** federated_jwt: a client assertion that is a workload platform's token, for a federated credential (fc_…). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'federated_jwt';
export type ClientAuth = { method: ClientAuthMethod; principal: Principal };

/** A stored hash no secret matches (32 zero bytes), compared against when the client id is unknown. */
const UNKNOWN_CLIENT_HASH = new Uint8Array(32);

/**
 * verifySecretCredential checks an id + secret pair: a client secret (kid_… + lk_sec_…) or a
 * client token pair (its id ctp_… or its client token lk_pub_…, + lk_srv_…). A malformed id is
 * refused before any database work. A well-formed id is looked up even when the secret is
 * malformed (the checksum catches typos and made-up values), so that the refusal of a mistyped
 * secret is audited in the organization of the credential it names, where its administrators
 * see it, like any wrong secret; the answer is the same either way. The secret is compared with
 * the stored keyed hash in constant time. Throws invalid_client without saying which part failed.
 */
export async function verifySecretCredential(id: string, secret: string, attempt: TokenAttempt): Promise<Principal> {
  const bad = () => refuse('invalid_client', 'bad_credentials', CLIENT_AUTH_FAILED);
  let principal: Principal | null = null;
  let wellFormedSecret = false;
  if (id.startsWith('kid_')) {
    if (!isCredentialId(id)) bad();
    wellFormedSecret = isWellFormedSecret('clientSecret', secret);
    if (attempt.readSecret) principal = await attempt.readSecret(id);
    else {
      const found = await lookupClientSecret(id, attempt.cache);
      if (found.fromCache) attempt.usedCache();
      principal = found.principal;
    }
  } else if (id.startsWith('lk_pub_')) {
    if (!isWellFormedSecret('clientToken', id)) bad();
    wellFormedSecret = isWellFormedSecret('serverToken', secret);
    principal = await findClientTokenPair({ clientToken: id });
  } else if (id.startsWith('ctp_')) {
    // A token pair's client id (the client_id of its tokens) works as well as its client token.
    if (!isCredentialId(id)) bad();
    wellFormedSecret = isWellFormedSecret('serverToken', secret);
    principal = await findClientTokenPair({ id });
  } else {
    bad();
  }
  if (!principal) {
    // The same work as a wrong secret: one keyed-hash comparison (the answer is thrown away).
    keyedHashEquals(secret, UNKNOWN_CLIENT_HASH, currentMasterKey().version);
    refuse('invalid_client', 'unknown_client', CLIENT_AUTH_FAILED);
  }
  attempt.identified(principal);
  if (
    !principal.hash ||
    principal.hashKeyVersion === null ||
    // Compared even when malformed, so a typo costs what a wrong secret costs.
    !keyedHashEquals(secret, principal.hash, principal.hashKeyVersion) ||
    !wellFormedSecret
  )
    bad();
  assertCredentialUsable(principal, 'invalid_client');
  return principal;
}

/** assertCredentialUsable refuses a disabled or expired credential (with the code's one uniform description). */
export function assertCredentialUsable(
  principal: Principal,
  code: 'invalid_client' | 'invalid_grant',
  now = Date.now(),
): void {
  const detail = uniformDetail(code);
  if (principal.credentialStatus !== 'ENABLED') refuse(code, 'credential_disabled', detail);
  if (principal.credentialExpiresAt.getTime() <= now) refuse(code, 'credential_expired', detail);
}

/**
 * assertAccountUsable refuses tokens to a suspended or revoked account and to a caller outside
 * the account's IP allow-list, with the code's one uniform description (the reason is audited).
 * unauthorized_client (403) is for the vendor compat flows whose documentation has it; the
 * standard endpoint uses invalid_client, the same answer as a wrong secret.
 * The address is the real client address (lib/http/client-ip.ts: X-Forwarded-For is believed
 * only from configured proxies); an unknown address never passes a non-empty allow-list.
 */
export function assertAccountUsable(
  principal: Principal,
  ip: string | null,
  code: 'invalid_client' | 'invalid_grant' | 'unauthorized_client',
): void {
  const { account } = principal;
  const detail = uniformDetail(code);
  if (account.status === 'SUSPENDED') refuse(code, 'account_suspended', detail);
  if (account.status !== 'ACTIVE') refuse(code, 'account_revoked', detail);
  if (account.ipAllowList.length > 0 && (!ip || !ipMatches(ip, account.ipAllowList))) {
    refuse(code, 'ip_not_allowed', detail);
  }
}

/**
 * authenticateClient reads the client's credentials from the request, in exactly one of the
 * three supported ways (RFC 6749 §2.3: a request using two is invalid_request):
 * client_secret_basic, client_secret_post, private_key_jwt (RFC 7523 §2.2, assertion signed by
 * one of the account's key pairs; `aud` the issuer identifier, or the token endpoint URL while
 * LATCHKEY_LEGACY_ASSERTION_AUDIENCE=on; lib/oauth/assertion.ts has the other rules), or, when
 * `client_id` names a federated credential (fc_…), the assertion is the workload platform's own
 * token, checked against that credential's policy (lib/federation/authenticate.ts). Returns null when
 * the request carries no client credentials at all; throws invalid_client when they are wrong.
 */
export async function authenticateClient(
  authorization: string | null,
  form: URLSearchParams,
  attempt: TokenAttempt,
): Promise<ClientAuth | null> {
  const basic = authorization && /^Basic\s/i.test(authorization) ? parseBasic(authorization) : null;
  if (authorization && /^Basic\s/i.test(authorization) && !basic)
    refuse('invalid_client', 'malformed_basic', 'The Basic credentials are malformed.');
  const postSecret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  const methods = [basic, postSecret, assertion].filter((m) => m !== null).length;
  if (methods > 1) refuse('invalid_request', 'multiple_client_auth', 'Use exactly one client authentication method.');
  const formClientId = form.get('client_id');

  if (basic) {
    if (formClientId !== null && formClientId !== basic.id)
      refuse('invalid_request', 'client_id_mismatch', 'client_id does not match the Basic credentials.');
    return { method: 'client_secret_basic', principal: await verifySecretCredential(basic.id, basic.secret, attempt) };
  }
  if (postSecret !== null) {
    if (!formClientId) refuse('invalid_request', 'client_id_missing', 'client_secret_post needs client_id.');
    return { method: 'client_secret_post', principal: await verifySecretCredential(formClientId, postSecret, attempt) };
  }
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE) {
      refuse('invalid_request', 'client_assertion_type', `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}.`);
    }
    if (formClientId?.startsWith('fc_'))
      return { method: 'federated_jwt', principal: await authenticateFederated(formClientId, assertion, attempt) };
    const { principal, claims, legacyAudience } = await verifyAssertion(assertion, {
      audiences: [issuerUrl()],
      legacyAudiences: env().LATCHKEY_LEGACY_ASSERTION_AUDIENCE === 'on' ? [tokenUrl()] : [],
      requireExp: true,
      maxLifetimeSeconds: MAX_CLIENT_ASSERTION_LIFETIME_SECONDS,
      clientAssertion: true,
      errorCode: 'invalid_client',
      onPrincipal: (p) => attempt.identified(p),
    });
    if (legacyAudience) attempt.usedLegacyAudience();
    if (formClientId !== null && formClientId !== claims.iss)
      refuse('invalid_client', 'client_id_mismatch', 'client_id does not match the assertion issuer.');
    assertCredentialUsable(principal, 'invalid_client');
    return { method: 'private_key_jwt', principal };
  }
  return null;
}

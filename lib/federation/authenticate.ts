import 'server-only';
import { compactVerify, generateKeyPair, type CryptoKey } from 'jose';
import { findFederatedCredential, type Principal } from '@/lib/credentials/principals';
import type { TokenAttempt } from '@/lib/oauth/attempt';
import { isCredentialId } from '@/lib/oauth/client-id';
import { CLIENT_AUTH_FAILED, refuse } from '@/lib/oauth/refusal';
import { verifyFederatedToken } from './verify';

/** The longest external subject recorded (audit log, access token). */
const MAX_SUBJECT = 500;

let unknownKeys: Promise<CryptoKey[]> | undefined;
/** Keys nobody holds the private half of, verified against when the credential id is unknown. */
function dummyKeys(): Promise<CryptoKey[]> {
  unknownKeys ??= Promise.all([generateKeyPair('RS256'), generateKeyPair('ES256')]).then((pairs) =>
    pairs.map((p) => p.publicKey),
  );
  return unknownKeys;
}

/**
 * authenticateFederated authenticates a workload by its platform's token (issue 12): `clientId`
 * names the federated credential (fc_…), `token` is the external JWT, checked against that
 * credential's policy (lib/federation/verify.ts). The credential, its policy and its account
 * are read fresh on every request (never cached), so a disable, suspension or revocation holds
 * from the next request on, on every instance. Every refusal is invalid_client with the one
 * uniform description (body and timing as for any failed client authentication: an unknown id
 * still verifies a signature); the audit reason is `federated_<reason>`, or
 * credential_disabled / credential_expired. The credential's account status is the grant's to
 * check (assertAccountUsable). Returns the principal; the attempt then names the external
 * issuer and subject.
 */
export async function authenticateFederated(
  clientId: string,
  token: string,
  attempt: TokenAttempt,
): Promise<Principal> {
  const principal = isCredentialId(clientId) ? await findFederatedCredential(clientId) : null;
  if (!principal?.federation) {
    const keys = await dummyKeys();
    await Promise.all(keys.map((key) => compactVerify(token, key).catch(() => undefined)));
    refuse('invalid_client', 'unknown_client', CLIENT_AUTH_FAILED);
  }
  attempt.identified(principal);
  const verdict = await verifyFederatedToken(token, principal.federation);
  if (verdict.claims && typeof verdict.claims.iss === 'string' && typeof verdict.claims.sub === 'string')
    attempt.federated({ issuer: verdict.claims.iss, subject: verdict.claims.sub.slice(0, MAX_SUBJECT) });
  if (!verdict.ok) refuse('invalid_client', `federated_${verdict.reason}`, CLIENT_AUTH_FAILED);
  if (principal.credentialStatus !== 'ENABLED') refuse('invalid_client', 'credential_disabled', CLIENT_AUTH_FAILED);
  if (principal.credentialExpiresAt.getTime() <= Date.now())
    refuse('invalid_client', 'credential_expired', CLIENT_AUTH_FAILED);
  return principal;
}

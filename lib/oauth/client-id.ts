import { decodeJwt } from 'jose';
import { isWellFormedSecret } from '@/lib/credentials/secret-format';

const CLIENT_ID_SHAPE = /^(kid|kp|ctp|fc)_[0-9A-HJKMNP-TV-Z]{26}$/;
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** isCredentialId tells whether a value has the shape of a credential's key id (kid_…, kp_…, ctp_…, fc_…). */
export function isCredentialId(value: string): boolean {
  return CLIENT_ID_SHAPE.test(value);
}

/** auditableClientId keeps a presented id for the audit log only if it looks like a key id or a publishable client token. */
export function auditableClientId(value: string | null | undefined): string | null {
  if (!value) return null;
  if (CLIENT_ID_SHAPE.test(value)) return value;
  if (isWellFormedSecret('clientToken', value)) return value;
  return null;
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** parseBasic reads RFC 6749 §2.3.1 Basic credentials (each part form-urlencoded, then base64). */
export function parseBasic(authorization: string): { id: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(authorization);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

function issuerOf(assertion: string): string | null {
  try {
    const iss = decodeJwt(assertion).iss;
    return typeof iss === 'string' ? iss : null;
  } catch {
    return null;
  }
}

/**
 * presentedClientId is the client id a request to the token, introspection or revocation
 * endpoint names, computed once per request, before anything is verified (for the rate limits
 * and the audit log): the Basic user name, else a federated credential's `client_id` (fc_…; the
 * external token's `iss` is its platform's, shared by many clients), else the `iss` of a client
 * assertion (or of the jwt-bearer grant's assertion), else the `client_id` parameter.
 */
export function presentedClientId(form: URLSearchParams, authorization: string | null): string | null {
  if (authorization && /^Basic\s/i.test(authorization)) return parseBasic(authorization)?.id ?? null;
  const clientId = form.get('client_id');
  if (clientId?.startsWith('fc_')) return clientId;
  const assertion =
    form.get('client_assertion') ?? (form.get('grant_type') === JWT_BEARER ? form.get('assertion') : null);
  if (assertion) return issuerOf(assertion) ?? form.get('client_id');
  return form.get('client_id');
}

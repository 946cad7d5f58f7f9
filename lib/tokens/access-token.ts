import 'server-only';
import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { issuerUrl } from '@/lib/issuer';
import { activeSigningKey, verificationKey } from '@/lib/signing-keys/signing-keys';
import { signEs256 } from './jws';

/**
 * Access tokens are RFC 9068 JWTs: header `typ: at+jwt`, `alg: ES256`, `kid`; claims `iss`
 * (issuerUrl()), `sub` (service account id), `aud`, `exp`, `iat`, `jti` (UUID), `client_id`
 * (the key id of the credential that obtained it), `scope` (space-separated) and, when
 * narrowed by token exchange, `project_id` / `environment_id` and `root_jti`: the jti of the
 * token the exchanges started from, so that revoking that token (or the refresh token family
 * it was issued with) also ends the narrower tokens made from it (RFC 7009 §2.1). A token
 * obtained with a DPoP proof carries `cnf.jkt` (RFC 9449 §6.1): the RFC 7638 thumbprint of the
 * proof's key, which every use of the token must prove possession of. A token obtained with a
 * federated credential (client_id fc_…) also names the external identity: `external_iss` and
 * `external_sub`.
 *
 * Audience: `aud` is the issuer URL, i.e. "the APIs of this Latchkey deployment and of the
 * organization it serves". Latchkey has one resource indicator today; resource servers check
 * `iss`, `aud` and the signature against /.well-known/jwks.json.
 */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export function accessTokenAudience(): string {
  return issuerUrl();
}

export type AccessTokenClaims = {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  project_id?: string;
  environment_id?: string;
  root_jti?: string;
  cnf?: { jkt: string };
  /** Federated credentials: the external issuer and subject the token was obtained with. */
  external_iss?: string;
  external_sub?: string;
};

export type MintInput = {
  serviceAccountId: string;
  clientId: string;
  scopes: readonly string[];
  lifetimeSeconds: number;
  projectId?: string | null;
  environmentId?: string | null;
  /** Token exchange: the jti of the token the exchanges started from. */
  rootJti?: string | null;
  /** DPoP: the thumbprint of the key the token is bound to (cnf.jkt). */
  jkt?: string | null;
  /** A federated credential's verified external identity (issue 12). */
  external?: { issuer: string; subject: string } | null;
};

export type MintedToken = {
  token: string;
  jti: string;
  expiresIn: number;
  expiresAt: Date;
  scope: string;
  /** DPoP: the key the token is bound to, or null for a bearer token. */
  jkt: string | null;
  /** Token exchange: the jti of the first token of the chain (revoking it revokes this one). */
  rootJti: string | null;
};

/** mintAccessToken signs a new access token with the active signing key (lib/tokens/jws.ts). */
export async function mintAccessToken(input: MintInput, now = Date.now()): Promise<MintedToken> {
  const { kid, key } = await activeSigningKey();
  const iat = Math.floor(now / 1000);
  const exp = iat + input.lifetimeSeconds;
  const jti = randomUUID();
  const scope = input.scopes.join(' ');
  // RFC 9068 §2.2: the registered claims, then client_id, scope and the narrowing.
  const payload: Record<string, unknown> = {
    iss: issuerUrl(),
    sub: input.serviceAccountId,
    aud: accessTokenAudience(),
    exp,
    iat,
    jti,
    client_id: input.clientId,
    scope,
  };
  if (input.projectId) payload.project_id = input.projectId;
  if (input.environmentId) payload.environment_id = input.environmentId;
  if (input.rootJti) payload.root_jti = input.rootJti;
  if (input.jkt) payload.cnf = { jkt: input.jkt };
  if (input.external) {
    payload.external_iss = input.external.issuer;
    payload.external_sub = input.external.subject;
  }
  const token = signEs256({ typ: ACCESS_TOKEN_TYPE, kid }, payload, key);
  return {
    token,
    jti,
    expiresIn: input.lifetimeSeconds,
    expiresAt: new Date(exp * 1000),
    scope,
    jkt: input.jkt ?? null,
    rootJti: input.rootJti ?? null,
  };
}

const claimsSchema = z.object({
  iss: z.string(),
  sub: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number().int(),
  iat: z.number().int(),
  jti: z.string().min(1).max(128),
  client_id: z.string().min(1).max(200),
  scope: z.string().max(4000).default(''),
  project_id: z.string().min(1).max(100).optional(),
  environment_id: z.string().min(1).max(100).optional(),
  root_jti: z.string().min(1).max(128).optional(),
  cnf: z.object({ jkt: z.string().min(1).max(128) }).optional(),
  external_iss: z.string().max(500).optional(),
  external_sub: z.string().max(1000).optional(),
});

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Tokens whose signature and claims passed, by their exact text, until they expire: a resource
 * server introspects the same token on every call it serves, and an ECDSA verification costs
 * more than the rest of an introspection. Only tokens Latchkey signed can get in (forgeries
 * fail verification), the cache is bounded, and expiry and the key's publication are checked
 * again on every hit. Lifecycle state (revocation, account, credential) is never cached.
 */
const verified = new LRUCache<string, { claims: AccessTokenClaims; kid: string }>({ max: 20_000 });

/**
 * verifyAccessToken checks an access token's shape, signature (a published Latchkey key),
 * `typ`, `iss`, `aud` and expiry, and parses its claims. Null for anything else: callers
 * answer "inactive" without saying why. Lifecycle state (revocation, account status) is
 * checked separately (token-state.ts) because it needs the database.
 */
export async function verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
  if (token.length > 8192 || !JWT_SHAPE.test(token)) return null;
  const hit = verified.get(token);
  if (hit) {
    if (hit.claims.exp > Math.floor(Date.now() / 1000) && (await verificationKey(hit.kid))) return hit.claims;
    verified.delete(token);
    return null;
  }
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'ES256' || typeof header.kid !== 'string') return null;
    const key = await verificationKey(header.kid);
    if (!key) return null;
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['ES256'],
      typ: ACCESS_TOKEN_TYPE,
      issuer: issuerUrl(),
      audience: accessTokenAudience(),
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    });
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) return null;
    const aud = Array.isArray(parsed.data.aud) ? (parsed.data.aud[0] ?? '') : parsed.data.aud;
    const claims = { ...parsed.data, aud };
    verified.set(token, { claims, kid: header.kid });
    return claims;
  } catch {
    return null;
  }
}

export function scopeList(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}

import 'server-only';
import { MANAGEMENT_SCOPE_PERMISSIONS } from '@/lib/auth/permissions';
import { issuerUrl } from '@/lib/issuer';
import { publishedJwks } from '@/lib/signing-keys/signing-keys';
import { DPOP_SIGNING_ALGS } from './dpop';
import type { OAuthReply } from './errors';
import { grantTypes } from './grants';

/** authorizationServerMetadata is the RFC 8414 document. */
export function authorizationServerMetadata(): Record<string, unknown> {
  const iss = issuerUrl();
  const authMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
  return {
    issuer: iss,
    token_endpoint: `${iss}/api/oauth/token`,
    jwks_uri: `${iss}/.well-known/jwks.json`,
    introspection_endpoint: `${iss}/api/oauth/introspect`,
    revocation_endpoint: `${iss}/api/oauth/revoke`,
    grant_types_supported: grantTypes(),
    response_types_supported: [],
    token_endpoint_auth_methods_supported: authMethods,
    token_endpoint_auth_signing_alg_values_supported: ['ES256'],
    introspection_endpoint_auth_methods_supported: authMethods,
    introspection_endpoint_auth_signing_alg_values_supported: ['ES256'],
    revocation_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_signing_alg_values_supported: ['ES256'],
    // RFC 9449 §5.1: every grant accepts a DPoP proof signed with one of these.
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    // Issuer-wide scopes only: the management scopes every organization's admin accounts may hold.
    // The catalogs of product scopes (TILE, MATRIX, …) belong to each organization and differ
    // between them; one issuer serves all organizations, so a public document listing them would
    // be wrong for most clients and would tell anyone the names every tenant uses.
    scopes_supported: Object.keys(MANAGEMENT_SCOPE_PERMISSIONS),
    service_documentation: `${iss}/api/openapi.json`,
  };
}

const PUBLIC_CACHE = 'public, max-age=300';

/**
 * metadataReply is GET /.well-known/oauth-authorization-server (both mounts), and also
 * /.well-known/openid-configuration: the same OAuth-only document under the OpenID Connect
 * discovery name, because OIDC-first clients (openid-client's default discovery()) ask there
 * first. Latchkey issues no ID tokens, so the document claims no OpenID Connect features.
 */
export function metadataReply(): OAuthReply {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': PUBLIC_CACHE },
    body: JSON.stringify(authorizationServerMetadata()),
  };
}

/** jwksReply is GET /.well-known/jwks.json (both mounts): the published public signing keys. */
export async function jwksReply(): Promise<OAuthReply> {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': PUBLIC_CACHE },
    body: JSON.stringify(await publishedJwks()),
  };
}

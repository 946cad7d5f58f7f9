import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * A real OIDC issuer for tests, on loopback (port 0): keys from jose, its discovery document at
 * /.well-known/openid-configuration and its JWKS at /jwks, served by node:http. It mints tokens
 * shaped like GitHub Actions', Kubernetes' projected service-account tokens and SPIFFE
 * JWT-SVIDs, rotates keys, and can misbehave on purpose (errors, redirects, slow or oversized
 * answers, private keys in the JWKS) so that every fail-closed rule has a real counterpart.
 */

export type IssuerAlg = 'RS256' | 'ES256';
export type JwksBehavior = 'ok' | 'error' | 'redirect' | 'slow' | 'huge' | 'malformed' | 'private';

type SigningKey = { kid: string; alg: IssuerAlg; privateKey: CryptoKey; publicJwk: JWK; privateJwk: JWK };

export type TestIssuer = {
  /** The issuer identifier (http://127.0.0.1:<port><path>). */
  issuer: string;
  jwksUri: string;
  /** Requests served, by path kind. */
  requests: { discovery: number; jwks: number };
  /** How /jwks answers from now on. */
  jwks: JwksBehavior;
  /** The issuer the discovery document names (default: the real one). */
  discoveryIssuer: string | null;
  /** The public JWKS as served (for INLINE_JWKS policies). */
  publicJwks(): { keys: JWK[] };
  /** rotate adds a new current signing key (kept with the old ones unless `dropOld`). */
  rotate(options?: { dropOld?: boolean; alg?: IssuerAlg }): Promise<string>;
  /** mint signs claims with the current key (or `options.key`, e.g. an unpublished one); iat/exp/iss filled in. */
  mint(claims: JWTPayload, options?: MintOptions): Promise<string>;
  stop(): Promise<void>;
};

export type MintOptions = {
  header?: Record<string, unknown>;
  /** Sign with this key instead of the current one (e.g. an unpublished one). */
  key?: { kid: string; alg: IssuerAlg; privateKey: CryptoKey };
  /** The `iss` to put in the token (default: the issuer). */
  iss?: string | null;
  /** Seconds from now. */
  iatOffset?: number;
  lifetime?: number;
};

export async function newSigningKey(alg: IssuerAlg, kid = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
  };
}

/** startTestIssuer listens on 127.0.0.1, port 0; `path` is appended to the issuer (e.g. /k8s). */
export async function startTestIssuer(options: { alg?: IssuerAlg; path?: string } = {}): Promise<TestIssuer> {
  const keys: SigningKey[] = [await newSigningKey(options.alg ?? 'RS256')];
  const path = options.path ?? '';
  let base = '';
  const state: TestIssuer = {
    issuer: '',
    jwksUri: '',
    requests: { discovery: 0, jwks: 0 },
    jwks: 'ok',
    discoveryIssuer: null,
    publicJwks: () => ({ keys: keys.map((k) => k.publicJwk) }),
    async rotate(rotation = {}) {
      const key = await newSigningKey(rotation.alg ?? keys[keys.length - 1]?.alg ?? 'RS256');
      if (rotation.dropOld) keys.splice(0, keys.length);
      keys.push(key);
      return key.kid;
    },
    async mint(claims, mint = {}) {
      const key = mint.key ?? (keys[keys.length - 1] as SigningKey);
      const now = Math.floor(Date.now() / 1000) + (mint.iatOffset ?? 0);
      const payload: JWTPayload = { iat: now, exp: now + (mint.lifetime ?? 300), ...claims };
      if (mint.iss !== null) payload.iss = mint.iss ?? state.issuer;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, ...mint.header })
        .sign(key.privateKey);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (url === `${path}/.well-known/openid-configuration`) {
      state.requests.discovery++;
      return send(
        res,
        200,
        JSON.stringify({
          issuer: state.discoveryIssuer ?? state.issuer,
          jwks_uri: state.jwksUri,
          response_types_supported: ['id_token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256', 'ES256'],
        }),
      );
    }
    if (url === `${path}/jwks` || url === `${path}/jwks-elsewhere`) {
      state.requests.jwks++;
      const jwks = { keys: keys.map((k) => k.publicJwk) };
      switch (state.jwks) {
        case 'ok':
          return send(res, 200, JSON.stringify(jwks));
        case 'error':
          return send(res, 503, '{"error":"unavailable"}');
        case 'redirect':
          res.writeHead(302, { location: `${base}${path}/jwks-elsewhere` });
          return res.end();
        case 'slow':
          setTimeout(() => send(res, 200, JSON.stringify(jwks)), 2_000).unref();
          return;
        case 'huge':
          return send(res, 200, JSON.stringify({ ...jwks, padding: 'x'.repeat(400 * 1024) }));
        case 'malformed':
          return send(res, 200, '{"keys": [ not json');
        case 'private':
          return send(res, 200, JSON.stringify({ keys: keys.map((k) => k.privateJwk) }));
      }
    }
    send(res, 404, '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  state.issuer = `${base}${path}`;
  state.jwksUri = `${base}${path}/jwks`;
  return state;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims of a GitHub Actions OIDC token (docs.github.com, "About security hardening with OpenID Connect"). */
export function githubActionsClaims(o: {
  owner: string;
  ownerId: string;
  repo: string;
  repoId: string;
  context?: string;
  audience: string;
}): JWTPayload {
  const ref = 'refs/heads/main';
  return {
    jti: randomUUID(),
    sub: `repo:${o.owner}@${o.ownerId}/${o.repo}@${o.repoId}:${o.context ?? `ref:${ref}`}`,
    aud: o.audience,
    ref,
    sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    repository: `${o.owner}/${o.repo}`,
    repository_owner: o.owner,
    repository_owner_id: o.ownerId,
    repository_id: o.repoId,
    repository_visibility: 'private',
    run_id: '9876543210',
    run_number: '42',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'Deploy',
    head_ref: '',
    base_ref: '',
    event_name: 'push',
    ref_type: 'branch',
    ref_protected: 'true',
    workflow_ref: `${o.owner}/${o.repo}/.github/workflows/deploy.yml@${ref}`,
    job_workflow_ref: `${o.owner}/${o.repo}/.github/workflows/deploy.yml@${ref}`,
    nbf: nowSeconds() - 5,
  };
}

/** The claims of a Kubernetes projected service-account token (audience-bound, pod-bound). */
export function kubernetesClaims(o: { namespace: string; serviceAccount: string; audience: string }): JWTPayload {
  return {
    aud: [o.audience],
    jti: randomUUID(),
    nbf: nowSeconds(),
    sub: `system:serviceaccount:${o.namespace}:${o.serviceAccount}`,
    'kubernetes.io': {
      namespace: o.namespace,
      node: { name: 'worker-1', uid: randomUUID() },
      pod: { name: `${o.serviceAccount}-7c9d8f6b5-x2x9q`, uid: randomUUID() },
      serviceaccount: { name: o.serviceAccount, uid: randomUUID() },
    },
  };
}

/** The claims of a SPIFFE JWT-SVID (sub the SPIFFE ID, aud an array). */
export function spiffeClaims(o: { spiffeId: string; audience: string }): JWTPayload {
  return { sub: o.spiffeId, aud: [o.audience] };
}

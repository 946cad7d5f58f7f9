import { SignJWT, decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { POST as introspectRoute } from '@/app/api/oauth/introspect/route';
import type { OrgContext } from '@/lib/auth/context';
import { TOKEN_ISSUED, TOKEN_REFUSED } from '@/lib/audit/actions';
import { createClientSecret as createSecretViaDomain } from '@/lib/credentials/create-client-secret';
import { deleteCredential, setCredentialStatus } from '@/lib/credentials/set-credential-status';
import { db } from '@/lib/db/client';
import { resetTokenLimiters } from '@/lib/oauth/token-service';
import {
  reactivateServiceAccount,
  revokeServiceAccount,
  suspendServiceAccount,
} from '@/lib/service-accounts/set-service-account-status';
import { tokenUrl } from '@/lib/issuer';
import { listLiveTokens } from '@/lib/tokens/live-tokens';
import { listExpiringCredentials, listServiceAccounts } from '@/lib/service-accounts/queries';
import { dpopKey, dpopProof } from '@/lib/testing/dpop';
import { listServiceAccountsQuery } from '@/lib/service-accounts/schema';
import { basic, bindProjectRole, createProject, formRequest } from '@/lib/testing/oauth-factories';
import {
  githubActionsClaims,
  kubernetesClaims,
  newSigningKey,
  spiffeClaims,
  startTestIssuer,
  type TestIssuer,
} from '@/lib/testing/oidc-issuer';
import { auditText, createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { createFederatedCredential } from './create-federated-credential';
import { clearJwksCache, configureJwksFetcher } from './jwks';
import { createFederatedCredentialInput } from './schema';
import { applyTemplate, GITHUB_ACTIONS_ISSUER } from './templates';

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
const AUDIENCE = 'https://latchkey.test/federation';

type Body = { access_token?: string; error?: string; error_description?: string; issued_token_type?: string };

async function token(params: Record<string, string>, options: Parameters<typeof formRequest>[2] = {}) {
  const res = await tokenRoute(formRequest('/api/oauth/token', params, options));
  return { res, body: (await res.json()) as Body };
}

/** asClient presents an external token as a client assertion for federated credential `id`. */
function asClient(id: string, external: string, extra: Record<string, string> = {}) {
  return token({
    grant_type: 'client_credentials',
    client_id: id,
    client_assertion_type: CLIENT_ASSERTION_TYPE,
    client_assertion: external,
    ...extra,
  });
}

/** lastRefusal is the reason of the newest token.refused event of the organization. */
async function lastEvent(orgId: string, action = TOKEN_REFUSED) {
  const event = await db.auditEvent.findFirst({ where: { organizationId: orgId, action }, orderBy: { seq: 'desc' } });
  return event?.details as Record<string, unknown> | undefined;
}

async function expectRefused(orgId: string, call: Promise<{ res: Response; body: Body }>, reason: string) {
  const { res, body } = await call;
  // The same answer as any failed client authentication (lib/oauth/refusal.ts CLIENT_AUTH_FAILED).
  expect(res.status).toBe(401);
  expect(body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
  expect(res.headers.get('www-authenticate')).toContain('Basic');
  expect((await lastEvent(orgId))?.reason).toBe(reason);
}

type Setup = { ctx: OrgContext; orgId: string; accountId: string };

async function account(scopes: string[] = []): Promise<Setup> {
  const { org, ownerCtx } = await orgWithRoles();
  const created = await createTestServiceAccount(ownerCtx, { scopes });
  return { ctx: ownerCtx, orgId: org.id, accountId: created.id };
}

async function policy(s: Setup, input: Record<string, unknown>) {
  return createFederatedCredential(
    s.ctx,
    s.accountId,
    createFederatedCredentialInput.parse({ name: `fc ${Math.random()}`, audience: AUDIENCE, ...input }),
  );
}

let github: TestIssuer;
let k8s: TestIssuer;
let spire: TestIssuer;

beforeAll(async () => {
  [github, k8s, spire] = await Promise.all([
    startTestIssuer({ alg: 'RS256', path: '/github' }),
    startTestIssuer({ alg: 'RS256', path: '/k8s' }),
    startTestIssuer({ alg: 'ES256', path: '/spire' }),
  ]);
});
afterAll(async () => {
  await Promise.all([github.stop(), k8s.stop(), spire.stop()]);
});
afterEach(() => {
  for (const issuer of [github, k8s, spire]) {
    issuer.jwks = 'ok';
    issuer.discoveryIssuer = null;
  }
  clearJwksCache();
  resetTokenLimiters();
});

const GH = { owner: 'octo-org', ownerId: '9919', repo: 'octo-repo', repoId: '1296269' };

/** githubPolicy is the GitHub Actions template's policy, its keys served by the loopback issuer (same iss). */
async function githubPolicy(s: Setup, context = 'ref:refs/heads/main') {
  const built = applyTemplate('github_actions', { ...GH, context }, AUDIENCE);
  if (!built.ok) throw new Error('template refused its values');
  return policy(s, { ...built.draft, keySource: 'JWKS_URI', jwksUri: github.jwksUri });
}
const githubToken = (overrides: Record<string, unknown> = {}, mint: Parameters<TestIssuer['mint']>[1] = {}) =>
  github.mint(
    { ...githubActionsClaims({ ...GH, audience: AUDIENCE }), ...overrides },
    { iss: GITHUB_ACTIONS_ISSUER, ...mint },
  );

describe('GitHub Actions tokens as client assertions', () => {
  it('a token shaped like GitHub Actions gets a Latchkey token naming the credential and the external subject', async () => {
    const s = await account(['TILE']);
    const fc = await githubPolicy(s);
    const external = await githubToken();
    const { res, body } = await asClient(fc.id, external);
    expect(res.status).toBe(200);
    const claims = decodeJwt(body.access_token ?? '');
    expect(claims).toMatchObject({
      sub: s.accountId,
      client_id: fc.id,
      scope: 'TILE',
      external_iss: GITHUB_ACTIONS_ISSUER,
      external_sub: 'repo:octo-org@9919/octo-repo@1296269:ref:refs/heads/main',
    });
    const issued = await lastEvent(s.orgId, TOKEN_ISSUED);
    expect(issued).toMatchObject({
      client_id: fc.id,
      federated_credential_id: fc.id,
      external_issuer: GITHUB_ACTIONS_ISSUER,
      external_subject: 'repo:octo-org@9919/octo-repo@1296269:ref:refs/heads/main',
    });
    // Never the external token, nor its signature.
    const text = await auditText(s.orgId);
    expect(text).not.toContain(external.split('.')[2]);
    expect(text).not.toContain(external.split('.')[1]);
    // The token introspects as active for its own account's client, and last use is stamped.
    const caller = await createSecretViaDomain(s.ctx, s.accountId, { name: 'introspector' });
    const introspected = await introspectRoute(
      formRequest(
        '/api/oauth/introspect',
        { token: body.access_token ?? '' },
        { authorization: basic(caller.clientSecret.id, caller.secret) },
      ),
    );
    expect(await introspected.json()).toMatchObject({ active: true, client_id: fc.id });
    // The account's live tokens list it, under the same lifecycle rules.
    const live = await listLiveTokens(s.ctx, s.accountId);
    expect(live.map((t) => t.jti)).toContain(claims.jti);
    const row = await db.federatedCredential.findUniqueOrThrow({ where: { id: fc.id } });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.lastUsedIp).toBe('127.0.0.1');
  });

  it('a re-created repository of the same name (new repository_id) is refused by its condition', async () => {
    const s = await account();
    const fc = await githubPolicy(s, '*');
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({ repository_id: '7777777' })),
      'federated_condition_repository_id',
    );
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({ repository_owner_id: '1' })),
      'federated_condition_repository_owner_id',
    );
    // Positive control: the glob subject accepts any context of the pinned repository.
    const { res } = await asClient(
      fc.id,
      await githubToken({ sub: `repo:octo-org@9919/octo-repo@1296269:environment:prod` }),
    );
    expect(res.status).toBe(200);
  });

  it('a repository from before immutable subjects (names only) passes a names policy, still pinned by its ids', async () => {
    const s = await account();
    const built = applyTemplate(
      'github_actions',
      { ...GH, context: 'ref:refs/heads/main', subjectFormat: 'names' },
      AUDIENCE,
    );
    if (!built.ok) throw new Error('template refused its values');
    const fc = await policy(s, { ...built.draft, keySource: 'JWKS_URI', jwksUri: github.jwksUri });
    const namesOnly = `repo:${GH.owner}/${GH.repo}:ref:refs/heads/main`;
    const { res } = await asClient(fc.id, await githubToken({ sub: namesOnly }));
    expect(res.status).toBe(200);
    // A re-created repository of the same name sends the same subject but another repository_id.
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({ sub: namesOnly, repository_id: '7777777' })),
      'federated_condition_repository_id',
    );
  });

  it('subject, audience, issuer and algorithm must match exactly', async () => {
    const s = await account();
    const fc = await githubPolicy(s);
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({ sub: 'repo:octo-org@9919/octo-repo@1296269:ref:refs/heads/dev' })),
      'federated_subject_mismatch',
    );
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({ aud: 'https://other.example' })),
      'federated_audience_mismatch',
    );
    // An array holding our audience and another is a token meant for someone else too.
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({ aud: [AUDIENCE, 'https://other.example'] })),
      'federated_audience_mismatch',
    );
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({}, { iss: 'https://token.actions.githubusercontent.com/' })),
      'federated_issuer_mismatch',
    );
    // HS256 signed with the public key's text, the classic key-confusion attack, and alg none.
    const hs = await new SignJWT({ ...githubActionsClaims({ ...GH, audience: AUDIENCE }), iss: GITHUB_ACTIONS_ISSUER })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(github.publicJwks())));
    await expectRefused(s.orgId, asClient(fc.id, hs), 'federated_alg_not_allowed');
    const payload = (await githubToken()).split('.')[1];
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.x`;
    await expectRefused(s.orgId, asClient(fc.id, none), 'federated_alg_not_allowed');
    // The template allows RS256 only: an ES256 token from a published ES256 key is refused.
    const esKid = await github.rotate({ alg: 'ES256' });
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({}, { header: { kid: esKid } })),
      'federated_alg_not_allowed',
    );
    // Positive control after all the refusals.
    await github.rotate({ alg: 'RS256' });
    expect((await asClient(fc.id, await githubToken())).res.status).toBe(200);
  });

  it('expired, too old, iat or nbf in the future are refused; tokens within the limits pass', async () => {
    const s = await account();
    const fc = await githubPolicy(s); // maxTokenAgeSeconds 900
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({}, { iatOffset: -400, lifetime: 300 })),
      'federated_expired',
    );
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({}, { iatOffset: -1000, lifetime: 3600 })),
      'federated_too_old',
    );
    await expectRefused(s.orgId, asClient(fc.id, await githubToken({}, { iatOffset: 120 })), 'federated_iat_future');
    await expectRefused(
      s.orgId,
      asClient(fc.id, await githubToken({ nbf: Math.floor(Date.now() / 1000) + 120 })),
      'federated_nbf_future',
    );
    await expectRefused(s.orgId, asClient(fc.id, await githubToken({ exp: undefined })), 'federated_expired');
    expect((await asClient(fc.id, await githubToken({}, { iatOffset: -800, lifetime: 3600 }))).res.status).toBe(200);
    expect((await asClient(fc.id, await githubToken({}, { iatOffset: 10 }))).res.status).toBe(200);
  });

  it('a forged signature and an unknown kid are refused; an unknown kid refetches the JWKS once, rate-limited', async () => {
    const s = await account();
    const fc = await githubPolicy(s);
    expect((await asClient(fc.id, await githubToken())).res.status).toBe(200);
    const before = github.requests.jwks;

    // Same kid as the published key, another private key: the signature does not verify.
    const forger = await newSigningKey('RS256');
    const publishedKid = String(github.publicJwks().keys.at(-1)?.kid);
    const forged = await githubToken({}, { key: { ...forger, kid: publishedKid } });
    await expectRefused(s.orgId, asClient(fc.id, forged), 'federated_signature');
    expect(github.requests.jwks).toBe(before);

    // An unpublished kid: one refetch, then refused; a second unknown kid right after: no refetch.
    await expectRefused(s.orgId, asClient(fc.id, await githubToken({}, { key: forger })), 'federated_unknown_kid');
    expect(github.requests.jwks).toBe(before + 1);
    const other = await newSigningKey('RS256');
    await expectRefused(s.orgId, asClient(fc.id, await githubToken({}, { key: other })), 'federated_unknown_kid');
    expect(github.requests.jwks).toBe(before + 1);

    // Positive control: the issuer rotates; the first token with the new kid refetches and passes.
    clearJwksCache();
    expect((await asClient(fc.id, await githubToken())).res.status).toBe(200);
    await github.rotate();
    const n = github.requests.jwks;
    expect((await asClient(fc.id, await githubToken())).res.status).toBe(200);
    expect(github.requests.jwks).toBe(n + 1);
  });
});

describe('fetching issuer keys fails closed', () => {
  it('unreachable, erroring, redirected, slow, oversized, malformed or private JWKS are all refused', async () => {
    const s = await account();
    const fc = await githubPolicy(s);
    const restore = configureJwksFetcher({ timeoutMs: 500, failureTtlMs: 0 });
    try {
      const cases: [TestIssuer['jwks'], string][] = [
        ['error', 'federated_jwks_unreachable'],
        ['redirect', 'federated_jwks_unreachable'],
        ['slow', 'federated_jwks_unreachable'],
        ['huge', 'federated_jwks_malformed'],
        ['malformed', 'federated_jwks_malformed'],
        ['private', 'federated_jwks_malformed'],
      ];
      for (const [behavior, reason] of cases) {
        github.jwks = behavior;
        clearJwksCache();
        await expectRefused(s.orgId, asClient(fc.id, await githubToken()), reason);
      }
      github.jwks = 'ok';
      clearJwksCache();
      expect((await asClient(fc.id, await githubToken())).res.status).toBe(200);
    } finally {
      restore();
    }
  });

  it('a stopped issuer, a discovery document naming another issuer, and a host outside the allow-list are refused', async () => {
    const s = await account();
    const gone = await startTestIssuer({ path: '/gone' });
    const fc = await policy(s, { issuer: gone.issuer, subject: 'workload' });
    const goneToken = await gone.mint({ sub: 'workload', aud: AUDIENCE });
    await gone.stop();
    await expectRefused(s.orgId, asClient(fc.id, goneToken), 'federated_jwks_unreachable');

    const kfc = await policy(s, { issuer: k8s.issuer, subject: 'system:serviceaccount:ci:deployer' });
    const k8sToken = await k8s.mint(
      kubernetesClaims({ namespace: 'ci', serviceAccount: 'deployer', audience: AUDIENCE }),
    );
    k8s.discoveryIssuer = 'https://impostor.example';
    await expectRefused(s.orgId, asClient(kfc.id, k8sToken), 'federated_discovery_issuer_mismatch');
    k8s.discoveryIssuer = null;
    clearJwksCache();

    const restore = configureJwksFetcher({ allowedHosts: ['token.actions.githubusercontent.com', '*.example.com'] });
    try {
      await expectRefused(s.orgId, asClient(kfc.id, k8sToken), 'federated_issuer_host_not_allowed');
    } finally {
      restore();
    }
    const allowed = configureJwksFetcher({ allowedHosts: ['127.0.0.1'] });
    try {
      expect((await asClient(kfc.id, k8sToken)).res.status).toBe(200);
    } finally {
      allowed();
    }
  });
});

describe('Kubernetes and SPIFFE tokens', () => {
  it('a Kubernetes projected token is exchanged (RFC 8693, jwt and id_token types) for a token narrowed to a project', async () => {
    const s = await account(['TILE', 'MATRIX']);
    const fc = await policy(s, {
      template: 'kubernetes',
      issuer: k8s.issuer,
      subject: 'system:serviceaccount:payments:api',
      claimConditions: [{ claim: 'kubernetes.io/namespace', op: 'equals', value: 'payments' }],
    });
    const project = await createProject({ id: s.orgId });
    await bindProjectRole({ id: s.accountId, organizationId: s.orgId, name: '' }, project.projectId);
    const projected = await k8s.mint(
      kubernetesClaims({ namespace: 'payments', serviceAccount: 'api', audience: AUDIENCE }),
    );
    const { res, body } = await token({
      grant_type: TOKEN_EXCHANGE,
      client_id: fc.id,
      subject_token: projected,
      subject_token_type: JWT_TYPE,
      scope: 'TILE',
      project_id: project.projectId,
    });
    expect(res.status).toBe(200);
    expect(body.issued_token_type).toBe('urn:ietf:params:oauth:token-type:access_token');
    expect(decodeJwt(body.access_token ?? '')).toMatchObject({
      client_id: fc.id,
      scope: 'TILE',
      project_id: project.projectId,
      external_sub: 'system:serviceaccount:payments:api',
      external_iss: k8s.issuer,
    });
    expect(k8s.requests.discovery).toBeGreaterThan(0);
    // Exchanged again (a Latchkey subject token), the narrower token still names the workload.
    const narrower = await token({
      grant_type: TOKEN_EXCHANGE,
      subject_token: body.access_token ?? '',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'TILE',
    });
    expect(narrower.res.status).toBe(200);
    expect(decodeJwt(narrower.body.access_token ?? '')).toMatchObject({
      client_id: fc.id,
      project_id: project.projectId,
      external_sub: 'system:serviceaccount:payments:api',
    });
    const idToken = await token({
      grant_type: TOKEN_EXCHANGE,
      client_id: fc.id,
      subject_token: projected,
      subject_token_type: ID_TOKEN_TYPE,
    });
    expect(idToken.res.status).toBe(200);

    // Another namespace's service account of the same name, and a scope the account lacks.
    const other = await k8s.mint(kubernetesClaims({ namespace: 'sandbox', serviceAccount: 'api', audience: AUDIENCE }));
    await expectRefused(
      s.orgId,
      token({ grant_type: TOKEN_EXCHANGE, client_id: fc.id, subject_token: other, subject_token_type: JWT_TYPE }),
      'federated_subject_mismatch',
    );
    const scope = await token({
      grant_type: TOKEN_EXCHANGE,
      client_id: fc.id,
      subject_token: projected,
      subject_token_type: JWT_TYPE,
      scope: 'ONM',
    });
    expect(scope.body.error).toBe('invalid_scope');
    // The subject token is the client authentication: no client_id, or a second method, is invalid_request.
    const noId = await token({ grant_type: TOKEN_EXCHANGE, subject_token: projected, subject_token_type: JWT_TYPE });
    expect(noId.body.error).toBe('invalid_request');
  });

  it('a SPIFFE JWT-SVID (ES256) passes a glob on the SPIFFE ID with a pasted trust bundle', async () => {
    const s = await account();
    const fc = await policy(s, {
      template: 'spiffe',
      issuer: spire.issuer,
      keySource: 'INLINE_JWKS',
      inlineJwks: spire.publicJwks(),
      subjectMatch: 'GLOB',
      subject: 'spiffe://example.org/ns/payments/*',
      allowedAlgorithms: ['ES256'],
    });
    const svid = await spire.mint(
      spiffeClaims({ spiffeId: 'spiffe://example.org/ns/payments/sa/api', audience: AUDIENCE }),
      {
        header: { typ: 'JWT' },
      },
    );
    expect((await asClient(fc.id, svid)).res.status).toBe(200);
    expect(spire.requests.jwks).toBe(0);
    const outside = await spire.mint(
      spiffeClaims({ spiffeId: 'spiffe://evil.org/ns/payments/sa/api', audience: AUDIENCE }),
    );
    await expectRefused(s.orgId, asClient(fc.id, outside), 'federated_subject_mismatch');
    // Pasted keys are all there is: an unknown kid is refused without any fetch.
    await spire.rotate({ dropOld: true });
    await expectRefused(
      s.orgId,
      asClient(
        fc.id,
        await spire.mint(spiffeClaims({ spiffeId: 'spiffe://example.org/ns/payments/x', audience: AUDIENCE })),
      ),
      'federated_unknown_kid',
    );
    expect(spire.requests.jwks).toBe(0);
  });
});

describe('lifecycle of federated credentials and their accounts', () => {
  it('disable, suspension and revocation hold from the next request on; an unknown id looks like any failure', async () => {
    const s = await account();
    const fc = await githubPolicy(s);
    const first = await asClient(fc.id, await githubToken());
    expect(first.res.status).toBe(200);

    await setCredentialStatus(s.ctx, 'federated_credential', s.accountId, fc.id, 'DISABLED');
    await expectRefused(s.orgId, asClient(fc.id, await githubToken()), 'credential_disabled');
    await setCredentialStatus(s.ctx, 'federated_credential', s.accountId, fc.id, 'ENABLED');
    expect((await asClient(fc.id, await githubToken())).res.status).toBe(200);
    // The token issued before the disable stays dead (tokensValidAfter).
    const caller = await createSecretViaDomain(s.ctx, s.accountId, { name: 'introspector' });
    const introspect = async (t: string) =>
      (await (
        await introspectRoute(
          formRequest(
            '/api/oauth/introspect',
            { token: t },
            { authorization: basic(caller.clientSecret.id, caller.secret) },
          ),
        )
      ).json()) as { active: boolean };
    expect((await introspect(first.body.access_token ?? '')).active).toBe(false);

    await suspendServiceAccount(s.ctx, s.accountId);
    await expectRefused(s.orgId, asClient(fc.id, await githubToken()), 'account_suspended');
    await reactivateServiceAccount(s.ctx, s.accountId);
    expect((await asClient(fc.id, await githubToken())).res.status).toBe(200);

    const name = (await db.serviceAccount.findUniqueOrThrow({ where: { id: s.accountId } })).name;
    await revokeServiceAccount(s.ctx, s.accountId, name);
    expect((await db.federatedCredential.findUniqueOrThrow({ where: { id: fc.id } })).status).toBe('DISABLED');
    await expectRefused(s.orgId, asClient(fc.id, await githubToken()), 'credential_disabled');

    // Unknown id: the same answer; audited on the instance chain.
    const unknown = await asClient('fc_01JD5Z8Q4W3M2N1P0R9S8T7V6X', await githubToken());
    expect(unknown.res.status).toBe(401);
    expect(unknown.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
  });

  it('a deleted credential, and one of another account used with that account’s secret, obtain nothing', async () => {
    const s = await account();
    const fc = await githubPolicy(s);
    await deleteCredential(s.ctx, 'federated_credential', s.accountId, fc.id);
    const res = await asClient(fc.id, await githubToken());
    expect(res.res.status).toBe(401);
    // A Basic secret together with a federated exchange is two client authentications.
    const other = await account();
    const otherFc = await githubPolicy(other);
    const secret = await createSecretViaDomain(other.ctx, other.accountId, { name: 'x' });
    const both = await token(
      {
        grant_type: TOKEN_EXCHANGE,
        client_id: otherFc.id,
        subject_token: await githubToken(),
        subject_token_type: JWT_TYPE,
      },
      { authorization: basic(secret.clientSecret.id, secret.secret) },
    );
    expect(both.body.error).toBe('invalid_request');
  });
});

describe('an ES256 policy rejects a token whose key type does not fit', () => {
  it('an RSA-signed token under an ES256-only policy is refused by its algorithm', async () => {
    const s = await account();
    const fc = await policy(s, {
      issuer: k8s.issuer,
      subject: 'system:serviceaccount:a:b',
      allowedAlgorithms: ['ES256'],
    });
    const t = await k8s.mint(kubernetesClaims({ namespace: 'a', serviceAccount: 'b', audience: AUDIENCE }));
    await expectRefused(s.orgId, asClient(fc.id, t), 'federated_alg_not_allowed');
  });
});

describe('federated credentials among the account’s credentials', () => {
  it('count in the account list and show on the expiry dashboard', async () => {
    const s = await account();
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const fc = await policy(s, { issuer: k8s.issuer, subject: 'system:serviceaccount:a:b', expiresAt: soon });
    const expiring = await listExpiringCredentials(s.ctx);
    expect(expiring).toEqual([expect.objectContaining({ kind: 'federated_credential', id: fc.id, label: fc.name })]);
    const page = await listServiceAccounts(s.ctx, listServiceAccountsQuery.parse({}));
    expect(page.items.find((a) => a.id === s.accountId)).toMatchObject({ credentialCount: 1, expiringCredentials: 1 });
  });
});

describe('federated credentials and DPoP', () => {
  it('a federated workload binds its token to its DPoP key; an account requiring DPoP refuses it without a proof', async () => {
    const s = await account();
    const fc = await githubPolicy(s);
    const key = await dpopKey();
    const params = {
      grant_type: 'client_credentials',
      client_id: fc.id,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await githubToken(),
    };
    const bound = await token(params, { headers: { dpop: await dpopProof(key, { htu: tokenUrl() }) } });
    expect(bound.res.status).toBe(200);
    const claims = decodeJwt(bound.body.access_token ?? '');
    expect(claims.cnf).toEqual({ jkt: expect.any(String) });
    expect(claims.external_iss).toBe(GITHUB_ACTIONS_ISSUER);

    await db.serviceAccount.update({ where: { id: s.accountId }, data: { requireDpop: true } });
    const plain = await token({ ...params, client_assertion: await githubToken() });
    expect(plain.body.error).toBe('invalid_dpop_proof');
    expect((await lastEvent(s.orgId))?.reason).toBe('dpop_required');
  });
});

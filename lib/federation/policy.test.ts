import { describe, expect, it } from 'vitest';
import { createFederatedCredentialInput, checkIssuerUrl } from './schema';
import { applyTemplate, GITHUB_ACTIONS_ISSUER } from './templates';
import { claimAt, conditionHolds, globMatches } from './verify';
import { hostAllowed } from './jwks';

describe('federation policy rules', () => {
  it('globs: * matches any run, everything else is literal', () => {
    expect(globMatches('repo:octo-org/*', 'repo:octo-org/x:ref:refs/heads/main')).toBe(true);
    expect(globMatches('repo:octo-org/*', 'repo:octo-evil/x')).toBe(false);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('spiffe://td/ns/*/sa/api', 'spiffe://td/ns/prod/sa/api')).toBe(true);
    expect(globMatches('x', 'x\ny')).toBe(false);
  });

  it('conditions read nested claims and compare scalars only', () => {
    const claims = { 'kubernetes.io': { namespace: 'ci', serviceaccount: { name: 'api' } }, run: 42, list: ['a'] };
    expect(claimAt(claims, 'kubernetes.io/serviceaccount/name')).toBe('api');
    expect(conditionHolds(claims, { claim: 'kubernetes.io/namespace', op: 'equals', value: 'ci' })).toBe(true);
    expect(conditionHolds(claims, { claim: 'run', op: 'one_of', values: ['41', '42'] })).toBe(true);
    expect(conditionHolds(claims, { claim: 'list', op: 'equals', value: 'a' })).toBe(false);
    expect(conditionHolds(claims, { claim: 'missing', op: 'glob', value: '*x' })).toBe(false);
    expect(conditionHolds(claims, { claim: 'toString', op: 'glob', value: '*' })).toBe(false);
  });

  it('issuer URLs are https, or http on loopback only; hosts follow the allow-list', () => {
    expect(checkIssuerUrl('https://token.actions.githubusercontent.com')).toBeNull();
    expect(checkIssuerUrl('http://127.0.0.1:8080/k8s')).toBeNull();
    expect(checkIssuerUrl('http://issuer.example.com')).toMatch(/https/);
    expect(checkIssuerUrl('https://u:p@issuer.example.com')).toMatch(/credentials/);
    expect(checkIssuerUrl('https://issuer.example.com/?x=1')).toMatch(/query/);
    expect(hostAllowed('a.example.com', ['*.example.com'])).toBe(true);
    expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('evilexample.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('anything.test', null)).toBe(true);
  });

  it('policies never allow none or HMAC, nor a glob that trusts the whole issuer', () => {
    const base = { name: 'p', issuer: 'https://issuer.example.com', audience: 'a', subject: 's' };
    expect(createFederatedCredentialInput.parse(base).allowedAlgorithms).toEqual(['RS256', 'ES256']);
    for (const alg of ['HS256', 'none', 'hs256'])
      expect(createFederatedCredentialInput.safeParse({ ...base, allowedAlgorithms: [alg] }).success).toBe(false);
    expect(createFederatedCredentialInput.safeParse({ ...base, subjectMatch: 'GLOB', subject: '**' }).success).toBe(
      false,
    );
    expect(createFederatedCredentialInput.safeParse({ ...base, keySource: 'JWKS_URI' }).success).toBe(false);
    const privateKey = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' }] };
    expect(
      createFederatedCredentialInput.safeParse({ ...base, keySource: 'INLINE_JWKS', inlineJwks: privateKey }).success,
    ).toBe(false);
    expect(
      createFederatedCredentialInput.safeParse({
        ...base,
        keySource: 'INLINE_JWKS',
        inlineJwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
      }).success,
    ).toBe(false);
  });

  it('the GitHub Actions template pins the immutable subject and the repository and owner ids', () => {
    const built = applyTemplate(
      'github_actions',
      { owner: 'octo-org', ownerId: '9919', repo: 'octo-repo', repoId: '1296269' },
      'https://lk.example',
    );
    expect(built).toEqual({
      ok: true,
      draft: expect.objectContaining({
        issuer: GITHUB_ACTIONS_ISSUER,
        subject: 'repo:octo-org@9919/octo-repo@1296269:ref:refs/heads/main',
        subjectMatch: 'EXACT',
        claimConditions: [
          { claim: 'repository_id', op: 'equals', value: '1296269' },
          { claim: 'repository_owner_id', op: 'equals', value: '9919' },
        ],
      }),
    });
    // Repositories from before GitHub's immutable subjects (15 July 2026) still send names only.
    const legacy = applyTemplate(
      'github_actions',
      { owner: 'octo-org', ownerId: '9919', repo: 'octo-repo', repoId: '1296269', subjectFormat: 'names' },
      'https://lk.example',
    );
    expect(legacy.ok && legacy.draft.subject).toBe('repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(legacy.ok && legacy.draft.claimConditions).toHaveLength(2);
    expect(
      applyTemplate('github_actions', { owner: 'o', ownerId: '1', repo: 'r', repoId: '1', subjectFormat: 'both' }, 'a'),
    ).toEqual({ ok: false, fieldErrors: { subjectFormat: ['Choose immutable ids or names.'] } });
    expect(applyTemplate('github_actions', { owner: 'o', ownerId: 'abc', repo: 'r', repoId: '1' }, 'a')).toEqual({
      ok: false,
      fieldErrors: { ownerId: ['The numeric owner id.'] },
    });
    const k8s = applyTemplate(
      'kubernetes',
      { issuer: 'https://k8s.example', namespace: 'ci', serviceAccount: 'api' },
      'a',
    );
    expect(k8s.ok && k8s.draft.subject).toBe('system:serviceaccount:ci:api');
    const spiffe = applyTemplate(
      'spiffe',
      { issuer: 'https://spire.example', trustDomain: 'example.org', path: 'ns/*' },
      'a',
    );
    expect(spiffe.ok && [spiffe.draft.subject, spiffe.draft.subjectMatch]).toEqual([
      'spiffe://example.org/ns/*',
      'GLOB',
    ]);
    for (const id of ['gitlab_ci', 'oidc'] as const) {
      const r = applyTemplate(
        id,
        { projectPath: 'g/p', projectId: '1', issuer: 'https://i.example', subject: 's' },
        'a',
      );
      expect(r.ok && createFederatedCredentialInput.safeParse({ name: 'n', ...r.draft }).success).toBe(true);
    }
  });
});

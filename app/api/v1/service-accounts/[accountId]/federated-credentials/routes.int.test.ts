import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import type { OrgContext } from '@/lib/auth/context';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { PEER_IP_HEADER } from '@/lib/http/client-ip';
import { basic, formRequest } from '@/lib/testing/oauth-factories';
import { kubernetesClaims, startTestIssuer, type TestIssuer } from '@/lib/testing/oidc-issuer';
import { auditEventsOf, createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { DELETE as remove, PATCH as patch } from './[credentialId]/route';
import { GET as list, POST as create } from './route';
import { POST as dryRun } from './test/route';

type Handler = (request: Request, context: { params: Promise<unknown> }) => Promise<Response>;
const AUDIENCE = 'https://latchkey.test/federation';

async function bearerFor(ctx: OrgContext, scopes: string[]): Promise<string> {
  const account = await createTestServiceAccount(ctx, { isAdmin: true, scopes });
  const { clientSecret, secret } = await createClientSecret(ctx, account.id, { name: 'api' });
  const res = await tokenRoute(
    formRequest(
      '/api/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(clientSecret.id, secret) },
    ),
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

function call(handler: Handler, token: string, method: string, params: Record<string, string>, body?: unknown) {
  const headers: Record<string, string> = { [PEER_IP_HEADER]: '127.0.0.1', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = new Request('http://localhost:3000/api/v1/service-accounts/x/federated-credentials', {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve(params) });
}

let k8s: TestIssuer;
beforeAll(async () => {
  k8s = await startTestIssuer({ path: '/cluster' });
});
afterAll(() => k8s.stop());

describe('/api/v1/service-accounts/{accountId}/federated-credentials', () => {
  it('create, list, dry-run, disable, enable and delete, each change audited', async () => {
    const { adminCtx, org } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:service_accounts']);
    const account = await createTestServiceAccount(adminCtx);
    const accountId = account.id;
    const policy = {
      name: 'payments api',
      template: 'kubernetes',
      issuer: k8s.issuer,
      audience: AUDIENCE,
      subject: 'system:serviceaccount:payments:api',
      claimConditions: [{ claim: 'kubernetes.io/namespace', op: 'equals', value: 'payments' }],
    };
    const created = await call(create, token, 'POST', { accountId }, policy);
    expect(created.status).toBe(201);
    const fc = (await created.json()) as { id: string; allowedAlgorithms: string[]; keySource: string };
    expect(fc).toMatchObject({ keySource: 'DISCOVERY', allowedAlgorithms: ['RS256', 'ES256'] });
    expect(fc.id).toMatch(/^fc_/);

    const listed = (await (await call(list, token, 'GET', { accountId })).json()) as { items: { id: string }[] };
    expect(listed.items.map((i) => i.id)).toEqual([fc.id]);

    // Dry run: the matching token is accepted, another namespace fails on sub and the condition.
    const good = await k8s.mint(kubernetesClaims({ namespace: 'payments', serviceAccount: 'api', audience: AUDIENCE }));
    const ok = (await (await call(dryRun, token, 'POST', { accountId }, { token: good })).json()) as {
      matched: string | null;
      results: { accepted: boolean; reason: string | null; checks: { check: string; ok: boolean }[] }[];
    };
    expect(ok.matched).toBe(fc.id);
    expect(ok.results[0]?.accepted).toBe(true);
    const bad = await k8s.mint(kubernetesClaims({ namespace: 'sandbox', serviceAccount: 'api', audience: AUDIENCE }));
    const refused = (await (await call(dryRun, token, 'POST', { accountId }, { token: bad })).json()) as typeof ok;
    expect(refused.matched).toBeNull();
    expect(refused.results[0]?.reason).toBe('federated_subject_mismatch');
    expect(refused.results[0]?.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual([
      'sub',
      'claim:kubernetes.io/namespace',
    ]);
    const garbage = (await (
      await call(dryRun, token, 'POST', { accountId }, { token: 'not-a-jwt' })
    ).json()) as typeof ok;
    expect(garbage.results[0]?.reason).toBe('federated_malformed');

    const params = { accountId, credentialId: fc.id };
    expect((await call(patch, token, 'PATCH', params, { status: 'DISABLED' })).status).toBe(200);
    const disabled = (await (await call(dryRun, token, 'POST', { accountId }, { token: good })).json()) as typeof ok;
    expect(disabled.matched).toBeNull();
    expect(disabled.results[0]?.reason).toBe('credential_disabled');
    expect((await call(patch, token, 'PATCH', params, { status: 'ENABLED' })).status).toBe(200);
    expect((await call(remove, token, 'DELETE', params)).status).toBe(204);
    expect((await call(remove, token, 'DELETE', params)).status).toBe(404);

    const actions = (await auditEventsOf(org.id))
      .map((e) => e.action)
      .filter((a) => a.startsWith('federated_credential.'));
    expect(actions).toEqual([
      'federated_credential.created',
      'federated_credential.disabled',
      'federated_credential.enabled',
      'federated_credential.deleted',
    ]);
    // The dry run issued nothing.
    const issued = (await auditEventsOf(org.id)).filter((e) => e.action === 'token.issued');
    expect(issued).toHaveLength(1); // the admin's own bearer token
  });

  it('refuses invalid policies, read-only callers and other organizations', async () => {
    const { adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:service_accounts']);
    const accountId = (await createTestServiceAccount(adminCtx)).id;
    const base = { name: 'p', issuer: k8s.issuer, audience: AUDIENCE, subject: 's' };
    const problems = async (body: unknown) => {
      const res = await call(create, token, 'POST', { accountId }, body);
      expect(res.status).toBe(400);
      return ((await res.json()) as { errors?: Record<string, string[]> }).errors ?? {};
    };
    expect(Object.keys(await problems({ ...base, allowedAlgorithms: ['HS256'] }))).toContain('allowedAlgorithms.0');
    expect(Object.keys(await problems({ ...base, issuer: 'http://issuer.example.com' }))).toEqual(['issuer']);
    expect(Object.keys(await problems({ ...base, subjectMatch: 'GLOB', subject: '*' }))).toEqual(['subject']);
    expect(Object.keys(await problems({ ...base, maxTokenAgeSeconds: '600' }))).toEqual(['maxTokenAgeSeconds']);

    const readOnly = await bearerFor(adminCtx, ['read:service_accounts']);
    expect((await call(create, readOnly, 'POST', { accountId }, base)).status).toBe(403);
    expect((await call(list, readOnly, 'GET', { accountId })).status).toBe(200);

    const other = await orgWithRoles();
    const theirs = (await createTestServiceAccount(other.adminCtx)).id;
    expect((await call(create, token, 'POST', { accountId: theirs }, base)).status).toBe(404);
    expect((await call(list, token, 'GET', { accountId: theirs })).status).toBe(404);
    expect((await call(dryRun, token, 'POST', { accountId: theirs }, { token: 'x.y.z' })).status).toBe(404);
  });
});

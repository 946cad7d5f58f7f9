import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as tokenRoute } from '@/app/api/oauth/token/route';
import { TOKEN_REFUSED } from '@/lib/audit/actions';
import { db } from '@/lib/db/client';
import { SUBSCRIBABLE_EVENT_TYPES, type EventEnvelope } from '@/lib/events/catalog';
import { createFederatedCredential } from '@/lib/federation/create-federated-credential';
import { createFederatedCredentialInput } from '@/lib/federation/schema';
import { applyTemplate, GITHUB_ACTIONS_ISSUER } from '@/lib/federation/templates';
import { clearJwksCache } from '@/lib/federation/jwks';
import { resetTokenLimiters } from '@/lib/oauth/token-service';
import { formRequest } from '@/lib/testing/oauth-factories';
import { githubActionsClaims, startTestIssuer, type TestIssuer } from '@/lib/testing/oidc-issuer';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { scanFederatedRefusals } from './scan-federated-refusals';

const AUDIENCE = 'https://latchkey.test/federation';
const GH = { owner: 'octo-org', ownerId: '9919', repo: 'octo-repo', repoId: '1296269' };
const WRONG_SUBJECT = 'repo:octo-org@9919/octo-repo@1296269:ref:refs/heads/dev';

let github: TestIssuer;
beforeAll(async () => {
  github = await startTestIssuer({ alg: 'RS256', path: '/github-refusals' });
});
afterAll(async () => {
  await github.stop();
  clearJwksCache();
});

async function federatedAccount() {
  const { org, ownerCtx } = await orgWithRoles();
  const account = await createTestServiceAccount(ownerCtx);
  const built = applyTemplate('github_actions', { ...GH, context: 'ref:refs/heads/main' }, AUDIENCE);
  if (!built.ok) throw new Error('template refused its values');
  const fc = await createFederatedCredential(
    ownerCtx,
    account.id,
    createFederatedCredentialInput.parse({
      name: 'deploy from main',
      ...built.draft,
      audience: AUDIENCE,
      keySource: 'JWKS_URI',
      jwksUri: github.jwksUri,
    }),
  );
  return { org, account, fc };
}

async function present(fcId: string, claims: Record<string, unknown> = {}) {
  const external = await github.mint(
    { ...githubActionsClaims({ ...GH, audience: AUDIENCE }), ...claims },
    { iss: GITHUB_ACTIONS_ISSUER },
  );
  const res = await tokenRoute(
    formRequest('/api/oauth/token', {
      grant_type: 'client_credentials',
      client_id: fcId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: external,
    }),
  );
  return { status: res.status, external };
}

async function refusalEvents(orgId: string) {
  const rows = await db.lifecycleEvent.findMany({
    where: { organizationId: orgId, type: 'federated_credential.refused' },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => r.payload as unknown as EventEnvelope<'federated_credential.refused'>);
}

describe('federated credential refused events', () => {
  it('fire once per credential and hour, with the count and last reason, when two scanners race', async () => {
    resetTokenLimiters();
    const { org, account, fc } = await federatedAccount();
    const refused: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await present(fc.id, { sub: WRONG_SUBJECT });
      expect(r.status).toBe(401);
      refused.push(r.external);
    }
    expect((await present(fc.id)).status).toBe(200);

    const counts = await Promise.all([scanFederatedRefusals(), scanFederatedRefusals()]);
    const events = await refusalEvents(org.id);
    expect(events).toHaveLength(1);
    expect(counts.filter((c) => c > 0)).toHaveLength(1);
    const event = events[0]!;
    expect(event.type).toBe('federated_credential.refused');
    expect(event.data.credential).toEqual({ id: fc.id, kind: 'federated_credential', name: 'deploy from main' });
    expect(event.data.serviceAccount).toEqual({ id: account.id, name: account.name });
    expect(event.data.refusals.count).toBe(3);
    expect(event.data.refusals.lastReason).toBe('federated_subject_mismatch');
    expect(event.data.refusals.externalIssuer).toBe(GITHUB_ACTIONS_ISSUER);
    expect(event.data.refusals.externalSubject).toBe(WRONG_SUBJECT);
    expect(event.data.links.console).toContain(`/service-accounts/${account.id}`);
    // Never the workload's token, not even its signature or payload part.
    const text = JSON.stringify(events);
    for (const token of refused) for (const part of token.split('.')) expect(text).not.toContain(part);

    // More refusals within the same hour raise nothing more: one alert per credential and hour.
    expect((await present(fc.id, { sub: WRONG_SUBJECT })).status).toBe(401);
    expect(await scanFederatedRefusals()).toBe(0);
    expect(await refusalEvents(org.id)).toHaveLength(1);
    const alert = await db.federatedRefusalAlert.findFirstOrThrow({ where: { credentialId: fc.id } });
    expect(alert.refusals).toBe(3n);
  });

  it('the scan reads only the last two hours, and only federated credentials of the organization', async () => {
    resetTokenLimiters();
    const { org, fc } = await federatedAccount();
    expect((await present(fc.id, { aud: 'https://other.example' })).status).toBe(401);
    // Three hours later this hour is out of the scan's window: an old refusal is not news.
    expect(await scanFederatedRefusals(new Date(Date.now() + 3 * 3_600_000))).toBe(0);
    expect(await refusalEvents(org.id)).toHaveLength(0);

    // An fc_ id nobody holds is refused on the instance chain, of no organization: no event anywhere.
    const { org: other } = await orgWithRoles();
    expect((await present('fc_00000000000000000000000000')).status).toBe(401);
    await scanFederatedRefusals();
    const events = await refusalEvents(org.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data.refusals.lastReason).toBe('federated_audience_mismatch');
    expect(await refusalEvents(other.id)).toHaveLength(0);
    const refusedIn = await db.auditEvent.count({ where: { organizationId: org.id, action: TOKEN_REFUSED } });
    expect(refusedIn).toBe(1);
  });

  it('is an event webhooks can subscribe to', () => {
    expect(SUBSCRIBABLE_EVENT_TYPES).toContain('federated_credential.refused');
  });
});

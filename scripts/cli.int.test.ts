import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';

const exec = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

function cli(...args: string[]) {
  return cliWith({}, ...args);
}

async function cliWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      path.join(root, 'node_modules/.bin/tsx'),
      ['--conditions=react-server', 'scripts/cli.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run cli', () => {
  it('keys status names the configured master key versions and what still needs an older one', async () => {
    const { code, stdout } = await cli('keys', 'status');
    expect(code).toBe(0);
    const status = JSON.parse(stdout) as { configured: number[]; current: number; stillNeeded: object };
    expect(status.configured[0]).toBe(status.current);
    expect(status.stillNeeded).toEqual({});
  });

  it('shows the instance chain: a token refusal of an unknown client id, which no organization holds', async () => {
    const { POST } = await import('@/app/api/oauth/token/route');
    const { basic, formRequest } = await import('@/lib/testing/oauth-factories');
    const unknown = `kid_${'0123456789ABCDEFGHJKMNPQRS'}`;
    const res = await POST(
      formRequest(
        '/api/oauth/token',
        { grant_type: 'client_credentials' },
        { authorization: basic(unknown, 'lk_sec_x'), ip: '198.51.100.77' },
      ),
    );
    expect(res.status).toBe(401);
    const listed = await cli('audit', 'instance', '--limit', '20');
    expect(listed.code).toBe(0);
    const events = JSON.parse(listed.stdout) as Array<{ action: string; ip: string; details: Record<string, unknown> }>;
    expect(events.find((e) => e.ip === '198.51.100.77')).toMatchObject({
      action: 'token.refused',
      details: { client_id: unknown, error: 'invalid_client' },
    });
    expect(listed.stdout).not.toContain('lk_sec_x');
    const bad = await cli('audit', 'instance', '--limit', '0');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('creates an organization and a user with a role, and prints them as JSON', async () => {
    const slug = `cli-${randomBytes(3).toString('hex')}`;
    const org = await cli('org', 'create', '--name', 'CLI Org', '--slug', slug);
    expect(org.code).toBe(0);
    expect(JSON.parse(org.stdout)).toMatchObject({ slug, name: 'CLI Org', id: expect.stringMatching(/^org_/) });

    const email = `${slug}@example.test`;
    const user = await cli(
      'user',
      'create',
      '--email',
      email,
      '--name',
      'Cli User',
      '--password',
      'cli password 12345',
      '--org',
      slug,
      '--role',
      'AUDITOR',
    );
    expect(user.code).toBe(0);
    const created = JSON.parse(user.stdout) as { id: string; email: string };
    expect(created).toMatchObject({ email, memberships: [{ org: slug, role: 'AUDITOR' }] });
    expect(user.stdout).not.toContain('cli password 12345');

    const membership = await db.membership.findFirstOrThrow({ where: { userId: created.id } });
    expect(membership.role).toBe('AUDITOR');
    const listed = JSON.parse((await cli('user', 'list')).stdout) as Array<{ email: string }>;
    expect(listed.map((u) => u.email)).toContain(email);
  });

  it("verifies an organization's audit chain with progress on stderr, and records it", async () => {
    const slug = `cli-${randomBytes(3).toString('hex')}`;
    expect((await cli('org', 'create', '--name', 'CLI Audit', '--slug', slug)).code).toBe(0);
    const verified = await cli('audit', 'verify', '--org', slug);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ intact: true, checked: 1, first_broken_link: null });
    expect(verified.stderr).toMatch(/verified 1 of 1 events \(100%\)/);
    expect(verified.stderr).toMatch(/intact: 1 events in/);
    const org = await db.organization.findUniqueOrThrow({ where: { slug } });
    expect(await db.auditEvent.count({ where: { organizationId: org.id, action: 'audit.verified' } })).toBe(1);
    expect((await cli('audit', 'verify', '--org', 'no-such-org')).code).toBe(1);

    const out = path.join(tmpdir(), `latchkey-cli-${slug}.ndjson`);
    const exported = await cli('audit', 'export', '--org', slug, '--format', 'ndjson', '--out', out);
    expect(exported.code).toBe(0);
    // organization.created, audit.verified and the export's own audit.exported.
    expect(JSON.parse(exported.stdout)).toMatchObject({ file: out, format: 'ndjson', events: 3 });
    expect(exported.stderr).toContain(`exported 3 events to ${out}`);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { action: string }).action)).toEqual([
      'audit.exported',
      'audit.verified',
      'organization.created',
    ]);
    await rm(out);
  });

  it('refuses bad input with a stable code and no stack trace', async () => {
    const bad = await cli(
      'user',
      'create',
      '--email',
      'nope',
      '--name',
      'X',
      '--password',
      'short',
      '--org',
      'x',
      '--role',
      'KING',
    );
    expect(bad.code).toBe(1);
    const body = JSON.parse(bad.stderr) as { error: { code: string; fields: Record<string, string[]> } };
    expect(body.error.code).toBe('validation_failed');
    expect(Object.keys(body.error.fields).sort()).toEqual(['email', 'org', 'password', 'role']);
    expect(bad.stderr).not.toMatch(/at .*\.ts:\d+/);

    const slug = `dup-${randomBytes(3).toString('hex')}`;
    expect((await cli('org', 'create', '--name', 'Dup', '--slug', slug)).code).toBe(0);
    const dup = await cli('org', 'create', '--name', 'Dup again', '--slug', slug);
    expect(dup.code).toBe(1);
    expect(JSON.parse(dup.stderr)).toMatchObject({ error: { code: 'name_taken' } });

    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    const typo = await cli('org', 'create', '--nme', 'Typo');
    expect(typo.code).toBe(2);
    expect(JSON.parse(typo.stderr.split('\n')[0] ?? '')).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('prints a stable code and no ORM or SQL text when the database refuses a command', async () => {
    // A real database without Latchkey's tables: every query fails inside the ORM.
    const url = new URL(process.env.DATABASE_URL ?? '');
    url.pathname = '/postgres';
    for (const args of [
      ['org', 'list'],
      ['org', 'create', '--name', 'No Tables', '--slug', 'no-tables'],
    ]) {
      const failed = await cliWith({ DATABASE_URL: url.toString() }, ...args);
      expect(failed.code, args.join(' ')).toBe(1);
      expect(failed.stdout).toBe('');
      const body = JSON.parse(failed.stderr) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('internal');
      expect(body.error.message).toMatch(/^The command failed/);
      expect(failed.stderr).not.toMatch(
        /invocation|db\.organization|findMany|prisma|does not exist|relation|SELECT|at .*\.ts:\d+/i,
      );
    }
  });

  it('says plainly when the database cannot be reached', async () => {
    const down = await cliWith({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' }, 'org', 'list');
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stderr)).toEqual({
      error: { code: 'database_unreachable', message: expect.stringContaining('npm start') },
    });
  });
});

describe('npm run cli federated', () => {
  it('creates, lists, dry-runs, disables and deletes a federated credential, with clear errors', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { createTestOrg } = await import('@/lib/testing/factories');
    const { createAccount } = await import('@/lib/testing/oauth-factories');
    const { startTestIssuer, kubernetesClaims } = await import('@/lib/testing/oidc-issuer');
    const issuer = await startTestIssuer();
    try {
      const org = await createTestOrg();
      const account = await createAccount(org);
      const dir = tmpdir();
      const policyFile = path.join(dir, `policy-${randomBytes(4).toString('hex')}.json`);
      await writeFile(
        policyFile,
        JSON.stringify({
          name: 'cluster',
          template: 'kubernetes',
          issuer: issuer.issuer,
          keySource: 'JWKS_URI',
          jwksUri: issuer.jwksUri,
          audience: 'latchkey',
          subject: 'system:serviceaccount:jobs:backup',
        }),
      );
      const created = await cli(
        'federated',
        'create',
        '--org',
        org.slug,
        '--account',
        account.id,
        '--policy',
        policyFile,
      );
      expect(created.code).toBe(0);
      const credential = JSON.parse(created.stdout) as { id: string; status: string };
      expect(credential).toMatchObject({ id: expect.stringMatching(/^fc_/), status: 'ENABLED' });

      const listed = await cli('federated', 'list', '--org', org.slug, '--account', account.id);
      expect((JSON.parse(listed.stdout) as { id: string }[]).map((c) => c.id)).toEqual([credential.id]);

      const tokenFile = path.join(dir, `token-${randomBytes(4).toString('hex')}`);
      const good = await issuer.mint(
        kubernetesClaims({ namespace: 'jobs', serviceAccount: 'backup', audience: 'latchkey' }),
      );
      await writeFile(tokenFile, good);
      const tested = await cli('federated', 'test', '--org', org.slug, '--account', account.id, '--token', tokenFile);
      expect(tested.code).toBe(0);
      expect(JSON.parse(tested.stdout)).toMatchObject({ matched: credential.id });
      expect(tested.stdout).not.toContain(good);
      await writeFile(
        tokenFile,
        await issuer.mint(kubernetesClaims({ namespace: 'jobs', serviceAccount: 'other', audience: 'latchkey' })),
      );
      const mismatch = await cli('federated', 'test', '--org', org.slug, '--account', account.id, '--token', tokenFile);
      expect(JSON.parse(mismatch.stdout)).toMatchObject({ matched: null });

      const disabled = await cli(
        'federated',
        'disable',
        '--org',
        org.slug,
        '--account',
        account.id,
        '--credential',
        credential.id,
      );
      expect(JSON.parse(disabled.stdout)).toMatchObject({ id: credential.id, status: 'DISABLED' });
      const events = await db.auditEvent.findMany({
        where: { organizationId: org.id, action: { startsWith: 'federated_credential.' } },
        orderBy: { seq: 'asc' },
      });
      expect(events.map((e) => [e.action, e.actorLabel])).toEqual([
        ['federated_credential.created', 'latchkey-cli'],
        ['federated_credential.disabled', 'latchkey-cli'],
      ]);
      const deleted = await cli(
        'federated',
        'delete',
        '--org',
        org.slug,
        '--account',
        account.id,
        '--credential',
        credential.id,
      );
      expect(JSON.parse(deleted.stdout)).toEqual({ deleted: credential.id });

      // Bad input: a clear code, never a stack.
      const badAccount = await cli('federated', 'list', '--org', org.slug, '--account', 'nope');
      expect(badAccount.code).toBe(1);
      expect(JSON.parse(badAccount.stderr)).toMatchObject({ error: { code: 'validation_failed' } });
      await writeFile(policyFile, '{"name": "x", "issuer": "ftp://nope"}');
      const badPolicy = await cli(
        'federated',
        'create',
        '--org',
        org.slug,
        '--account',
        account.id,
        '--policy',
        policyFile,
      );
      expect(badPolicy.code).toBe(1);
      expect(JSON.parse(badPolicy.stderr)).toMatchObject({ error: { code: 'validation_failed' } });
      const missing = await cli(
        'federated',
        'create',
        '--org',
        org.slug,
        '--account',
        account.id,
        '--policy',
        '/nope.json',
      );
      expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'validation_failed' } });
      await rm(policyFile, { force: true });
      await rm(tokenFile, { force: true });
    } finally {
      await issuer.stop();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTotpEnrollment, totpStatus } from '@/lib/auth/two-factor';
import { createClientSecret } from '@/lib/credentials/create-client-secret';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { createOemCredential } from '@/lib/oem/create-oem-credential';
import { openOemCredentialSecret } from '@/lib/oem/open-oem-credential-secret';
import { createOemCredentialInput } from '@/lib/oem/schema';
import { createClientSecretInput } from '@/lib/service-accounts/schema';
import { activeSigningKey, resetSigningKeyCache } from '@/lib/signing-keys/signing-keys';
import { createTestMember } from '@/lib/testing/factories';
import { createTestServiceAccount, orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { createWebhook } from '@/lib/webhooks/create-webhook';
import { createWebhookInput } from '@/lib/webhooks/schema';
import { openSigningSecret } from '@/lib/webhooks/signing-secret';
import { createAuditSink } from '@/lib/audit-stream/manage';
import { sealedHeadersContext } from '@/lib/audit-stream/deliver';
import { createAuditSinkInput } from '@/lib/audit-stream/schema';
import { open } from './secret-box';
import { keyUsage, reencryptSealedValues, SEALED_COLUMNS } from './reencrypt';

const ORIGINAL = process.env.LATCHKEY_MASTER_KEYS!;
const [oldVersion] = ORIGINAL.split(',')[0]!.split(':') as [string];
const NEW = `${Number(oldVersion) + 1}:${randomBytes(32).toString('base64')}`;

function useKeys(keys: string) {
  process.env.LATCHKEY_MASTER_KEYS = keys;
  resetEnvCache();
  resetSigningKeyCache();
}

afterEach(async () => {
  // Leave the worker's database sealed under its own key again, for the test files after this one.
  useKeys(`${ORIGINAL},${NEW}`);
  await reencryptSealedValues();
  useKeys(ORIGINAL);
});

describe('master key rotation', () => {
  it('re-encrypts every sealed value under the new key, so that the old key can be removed', async () => {
    const { org, ownerCtx } = await orgWithRoles();
    const account = await createTestServiceAccount(ownerCtx);
    await createClientSecret(ownerCtx, account.id, createClientSecretInput.parse({ name: 'old-key secret' }));
    const oem = await createOemCredential(
      ownerCtx,
      'NIU',
      createOemCredentialInput.parse({ name: 'niu', client_id: 'niu-client', client_secret: 'niu-secret-value' }),
    );
    const hook = await createWebhook(
      ownerCtx,
      createWebhookInput.parse({ url: 'http://127.0.0.1:9/hook', eventTypes: ['credential.created'] }),
    );
    const sink = await createAuditSink(
      ownerCtx,
      createAuditSinkInput.parse({
        kind: 'OTLP_HTTP',
        name: 'siem',
        url: 'http://127.0.0.1:9/v1/logs',
        headers: { authorization: 'Bearer siem-token' },
      }),
    );
    const user = await createTestMember(org.id, 'ADMIN');
    await startTotpEnrollment(user.id);
    const totp = await totpStatus(user.id);
    if (totp.enabled || !totp.pending) throw new Error('enrollment did not start');
    const { kid } = await activeSigningKey();
    // A value no configured key opens (damaged, or sealed under a key since removed).
    const damaged = await createWebhook(
      ownerCtx,
      createWebhookInput.parse({ url: 'http://127.0.0.1:9/damaged', eventTypes: ['credential.created'] }),
    );
    const stored0 = await db.webhook.findUniqueOrThrow({ where: { id: damaged.webhook.id } });
    const broken = Buffer.from(stored0.secretEnc);
    broken.writeUInt8(broken.readUInt8(broken.length - 1) ^ 0xff, broken.length - 1);
    await db.webhook.update({ where: { id: damaged.webhook.id }, data: { secretEnc: new Uint8Array(broken) } });

    // The new key goes first; the old one stays listed until the run is done.
    useKeys(`${NEW},${ORIGINAL}`);
    const before = await keyUsage();
    expect(before[oldVersion]?.oem_credentials).toBeGreaterThanOrEqual(1);
    const report = await reencryptSealedValues();
    expect(report.currentVersion).toBe(Number(oldVersion) + 1);
    for (const table of ['signing_keys', 'oem_credentials', 'webhooks', 'users', 'audit_sinks'])
      expect(report.reencrypted[table]).toBeGreaterThanOrEqual(1);
    // The damaged value is counted and left alone; everything else went through.
    expect(report.unreadable.webhooks).toBe(1);
    const left = await db.webhook.findUniqueOrThrow({ where: { id: damaged.webhook.id } });
    expect(Buffer.from(left.secretEnc).equals(broken)).toBe(true);
    await db.webhook.delete({ where: { id: damaged.webhook.id } });
    // Hashes of client secrets cannot be recomputed: the report says they still need the old key.
    expect(report.stillNeeded[oldVersion]?.client_secrets).toBeGreaterThanOrEqual(1);
    expect(Object.keys(report.stillNeeded[oldVersion] ?? {}).sort()).not.toContain('oem_credentials');
    // A second run finds nothing left to do.
    const again = await reencryptSealedValues();
    expect(Object.values(again.reencrypted).every((n) => n === 0)).toBe(true);

    // With the old key removed, every sealed value still opens.
    useKeys(NEW);
    expect((await openOemCredentialSecret(ownerCtx, oem.id)).clientSecret).toBe('niu-secret-value');
    const stored = await db.webhook.findUniqueOrThrow({ where: { id: hook.webhook.id } });
    expect(openSigningSecret(hook.webhook.id, stored.secretEnc)).toBe(hook.secret);
    expect(stored.encKeyVersion).toBe(Number(oldVersion) + 1);
    const sealedSink = await db.auditSink.findUniqueOrThrow({ where: { id: sink.id } });
    expect(JSON.parse(open(sealedSink.secretEnc!, sealedHeadersContext(sink.id)).toString('utf8'))).toEqual({
      authorization: 'Bearer siem-token',
    });
    expect(sealedSink.encKeyVersion).toBe(Number(oldVersion) + 1);
    const reopened = await totpStatus(user.id);
    expect(!reopened.enabled && reopened.pending?.secret).toBe(totp.pending.secret);
    expect((await activeSigningKey()).kid).toBe(kid);

    // Audited on the instance chain with counts only.
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: null, action: 'master_key.reencrypted' },
      orderBy: { seq: 'desc' },
    });
    expect(JSON.stringify(event.details)).not.toContain('niu-secret-value');
    expect(JSON.stringify(event.details)).not.toContain(hook.secret);
  });

  it('knows every sealed column of the schema', () => {
    // A Bytes column is a keyed hash (named *_hash or *_hashes) or sealed: sealed ones must be listed.
    const schema = readFileSync('prisma/schema.prisma', 'utf8');
    const bytes = [...schema.matchAll(/^\s+\w+\s+Bytes\??(?:\[\])?\s.*@map\("(\w+)"\)/gm)].map((m) => m[1]!);
    const sealed = bytes.filter((c) => !/_hash(es)?$/.test(c));
    expect(sealed.sort()).toEqual(SEALED_COLUMNS.map((s) => s.column).sort());
  });
});

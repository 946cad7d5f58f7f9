import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { open } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db/client';
import { resetEnvCache } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { newUlid } from '@/lib/ids';
import { createTestOrg, createTestMember, memberCtx } from '@/lib/testing/factories';
import { createTestOemCredential, randomVin, testSecret } from '@/lib/testing/oem-fixtures';
import { addVehicle } from '@/lib/vehicles/add-vehicle';
import { createOemCredential, secretContext } from './create-oem-credential';
import { deleteOemCredential } from './delete-oem-credential';
import { openOemCredentialSecret } from './open-oem-credential-secret';
import { getOemCredential, listOemCredentials } from './queries';
import { parseSecretUpdate } from './schema';
import { updateOemCredentialSecret } from './update-oem-credential-secret';

async function adminCtx() {
  const org = await createTestOrg();
  const user = await createTestMember(org.id, 'ADMIN');
  return memberCtx(org, user, 'ADMIN');
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const originalKeys = process.env.LATCHKEY_MASTER_KEYS;
afterEach(() => {
  process.env.LATCHKEY_MASTER_KEYS = originalKeys;
  resetEnvCache();
});

describe('OEM credentials: encryption at rest', () => {
  it('stores only ciphertext bound to the row, and never returns the secret', async () => {
    const ctx = await adminCtx();
    const secret = testSecret();
    const { credential } = await createTestOemCredential(ctx, 'NIU', secret);
    expect(credential.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const row = await db.oemCredential.findUniqueOrThrow({ where: { id: credential.id } });
    const stored = Buffer.from(row.clientSecretEnc);
    expect(stored.toString('utf8')).not.toContain(secret);
    expect(stored.toString('latin1')).not.toContain(secret);
    expect(open(stored, secretContext(credential.id)).toString('utf8')).toBe(secret);
    // The context binds the ciphertext to its row: copied to another id, it does not open.
    expect(() => open(stored, secretContext(newUlid()))).toThrow();
    // The raw column, as any SQL client sees it, does not hold the secret either.
    const [raw] = await db.$queryRaw<
      Array<{ enc: string }>
    >`SELECT encode(client_secret_enc, 'escape') AS enc FROM oem_credentials WHERE id = ${credential.id}`;
    expect(raw?.enc).not.toContain(secret);

    const everything = JSON.stringify([
      credential,
      await listOemCredentials(ctx),
      await getOemCredential(ctx, credential.id, 'NIU'),
    ]);
    expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/secret_enc|client_secret/i);

    const events = await db.auditEvent.findMany({ where: { organizationId: ctx.orgId } });
    expect(JSON.stringify(events, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
      secret,
    );
    expect(await openOemCredentialSecret(ctx, credential.id)).toEqual({
      clientId: credential.client_id,
      clientSecret: secret,
    });
  });

  it('still decrypts rows sealed under an older master key after rotation, and re-seals on update', async () => {
    const ctx = await adminCtx();
    const v1 = randomBytes(32).toString('base64');
    process.env.LATCHKEY_MASTER_KEYS = `7:${v1}`;
    resetEnvCache();
    const { credential, secret } = await createTestOemCredential(ctx, 'SEGWAY');
    expect(credential.key_version).toBe(7);

    process.env.LATCHKEY_MASTER_KEYS = `8:${randomBytes(32).toString('base64')},7:${v1}`;
    resetEnvCache();
    expect((await openOemCredentialSecret(ctx, credential.id)).clientSecret).toBe(secret);

    const newSecret = testSecret();
    const updated = await updateOemCredentialSecret(ctx, credential.id, { client_secret: newSecret });
    expect(updated.key_version).toBe(8);
    expect(JSON.stringify(updated)).not.toContain(newSecret);
    expect((await openOemCredentialSecret(ctx, credential.id)).clientSecret).toBe(newSecret);
    expect(
      await db.auditEvent.count({
        where: { organizationId: ctx.orgId, action: 'oem_credential.secret_changed', targetId: credential.id },
      }),
    ).toBe(1);
  });
});

describe('OEM credentials: refusals', () => {
  it('refuses a duplicate name (name_taken) and a duplicate client_id of the brand (conflict)', async () => {
    const ctx = await adminCtx();
    const { credential } = await createTestOemCredential(ctx, 'NIU');
    expect(
      (
        await refusal(
          createOemCredential(ctx, 'SEGWAY', { name: credential.name, client_id: 'other', client_secret: 'x' }),
        )
      ).code,
    ).toBe('name_taken');
    expect(
      (
        await refusal(
          createOemCredential(ctx, 'NIU', { name: 'Another', client_id: credential.client_id, client_secret: 'x' }),
        )
      ).code,
    ).toBe('conflict');
    // The same client_id under another brand is a different credential.
    await expect(
      createOemCredential(ctx, 'SEGWAY', { name: 'Segway one', client_id: credential.client_id, client_secret: 'x' }),
    ).resolves.toMatchObject({ brand: 'SEGWAY' });
  });

  it('refuses CloudBoxx credentials in the database itself', async () => {
    const ctx = await adminCtx();
    await expect(
      db.oemCredential.create({
        data: {
          id: newUlid(),
          organizationId: ctx.orgId,
          brand: 'CLOUDBOXX',
          name: 'nope',
          clientId: 'x',
          clientSecretEnc: new Uint8Array([1]),
          encKeyVersion: 1,
        },
      }),
    ).rejects.toThrow();
  });

  it('accepts only client_secret in an update and names every other field (immutable_field)', () => {
    expect(parseSecretUpdate({ client_secret: 'new' })).toEqual({ client_secret: 'new' });
    const error = (() => {
      try {
        parseSecretUpdate({ client_secret: 'new', client_id: 'changed', name: 'renamed' });
      } catch (e) {
        return e as AppError;
      }
      return null;
    })();
    expect(error?.code).toBe('immutable_field');
    expect(error?.detail).toMatch(/client_id, name cannot/);
    expect(Object.keys(error?.fields ?? {})).toEqual(['client_id', 'name']);
    expect(() => parseSecretUpdate({})).toThrow(AppError);
    expect(() => parseSecretUpdate({ client_secret: '' })).toThrow(/invalid/);
  });

  it('hides another organization’s credential and another brand’s (not_found)', async () => {
    const ctx = await adminCtx();
    const other = await adminCtx();
    const { credential } = await createTestOemCredential(ctx, 'MERCEDES_BENZ');
    expect((await refusal(getOemCredential(other, credential.id))).code).toBe('not_found');
    expect((await refusal(getOemCredential(ctx, credential.id, 'NIU'))).code).toBe('not_found');
    expect((await refusal(updateOemCredentialSecret(other, credential.id, { client_secret: 'stolen' }))).code).toBe(
      'not_found',
    );
    expect((await refusal(deleteOemCredential(other, credential.id))).code).toBe('not_found');
    expect(await db.oemCredential.count({ where: { id: credential.id } })).toBe(1);
  });

  it('refuses to delete a credential in use, naming the vehicles (oem_credential_in_use)', async () => {
    const ctx = await adminCtx();
    const { credential } = await createTestOemCredential(ctx, 'MERCEDES_BENZ');
    const vins = [randomVin('WDD'), randomVin('W1K')].sort();
    for (const vin of vins) await addVehicle(ctx, { vin, brand: 'MERCEDES_BENZ', oem_credential_id: credential.id });
    const error = await refusal(deleteOemCredential(ctx, credential.id));
    expect(error.code).toBe('oem_credential_in_use');
    expect(error.status).toBe(409);
    for (const vin of vins) expect(error.detail).toContain(vin);
    expect(error.fields?.vehicles).toEqual(vins);
    // The database refuses it too (ON DELETE RESTRICT), whatever the code does.
    await expect(db.oemCredential.delete({ where: { id: credential.id } })).rejects.toThrow();

    await db.vehicle.deleteMany({ where: { organizationId: ctx.orgId } });
    await deleteOemCredential(ctx, credential.id);
    expect(await db.oemCredential.count({ where: { id: credential.id } })).toBe(0);
    expect(
      await db.auditEvent.count({
        where: { organizationId: ctx.orgId, action: 'oem_credential.deleted', targetId: credential.id },
      }),
    ).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { bearerFor, callRoute, problemOf } from '@/lib/testing/oem-api';
import { randomVin, testSecret } from '@/lib/testing/oem-fixtures';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { POST as addVehicle } from '../vehicles/route';
import { DELETE as del, GET as getOne, PATCH as patch } from './[brandSlug]/[credentialId]/route';
import { GET as list, POST as create } from './[brandSlug]/route';

describe('/api/v1/credentials/{brand} route handlers (bearer)', () => {
  it('stores, lists, reads and re-keys a credential without ever answering its secret', async () => {
    const { org, adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:oem_credentials']);
    const secret = testSecret();
    const created = await callRoute(
      create,
      token,
      'POST',
      '/api/v1/credentials/niu',
      { brandSlug: 'niu' },
      { name: 'NIU fleet', client_id: 'niu-1', client_secret: secret },
    );
    expect(created.status).toBe(201);
    const body = await created.text();
    expect(body).not.toContain(secret);
    const credential = JSON.parse(body) as { id: string; brand: string };
    expect(credential.brand).toBe('NIU');

    const listed = await callRoute(list, token, 'GET', '/api/v1/credentials/niu', { brandSlug: 'niu' });
    expect(listed.status).toBe(200);
    const listText = await listed.text();
    expect(listText).toContain('NIU fleet');
    expect(listText).not.toContain(secret);
    const other = await callRoute(list, token, 'GET', '/api/v1/credentials/segway', { brandSlug: 'segway' });
    expect(((await other.json()) as { data: unknown[] }).data).toEqual([]);

    const read = await callRoute(getOne, token, 'GET', '', { brandSlug: 'niu', credentialId: credential.id });
    expect(await read.text()).not.toContain(secret);
    // The brand in the path must be the credential's.
    expect(
      (await callRoute(getOne, token, 'GET', '', { brandSlug: 'segway', credentialId: credential.id })).status,
    ).toBe(404);

    const newSecret = testSecret();
    const rekeyed = await callRoute(
      patch,
      token,
      'PATCH',
      '',
      { brandSlug: 'niu', credentialId: credential.id },
      { client_secret: newSecret },
    );
    expect(rekeyed.status).toBe(200);
    expect(await rekeyed.text()).not.toContain(newSecret);

    const events = await db.auditEvent.findMany({
      where: { organizationId: org.id, targetId: credential.id },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => [e.action, e.actorType])).toEqual([
      ['oem_credential.created', 'SERVICE_ACCOUNT'],
      ['oem_credential.secret_changed', 'SERVICE_ACCOUNT'],
    ]);
    expect(JSON.stringify(events, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(
      new RegExp(`${secret}|${newSecret}`),
    );
  });

  it('refuses other fields in PATCH, unknown brands, duplicates, and deleting a credential in use', async () => {
    const { adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:oem_credentials', 'manage:vehicles']);
    const created = await callRoute(
      create,
      token,
      'POST',
      '',
      { brandSlug: 'mercedes-benz' },
      { name: 'MB', client_id: 'mb-1', client_secret: 's' },
    );
    const { id } = (await created.json()) as { id: string };

    const immutable = await callRoute(
      patch,
      token,
      'PATCH',
      '',
      { brandSlug: 'mercedes-benz', credentialId: id },
      { client_id: 'mb-2', name: 'x' },
    );
    expect(immutable.status).toBe(400);
    const problem = await problemOf(immutable);
    expect(problem.code).toBe('immutable_field');
    expect(Object.keys(problem.errors ?? {})).toEqual(['client_id', 'name']);
    expect(
      (
        await problemOf(
          await callRoute(patch, token, 'PATCH', '', { brandSlug: 'mercedes-benz', credentialId: id }, [
            'client_secret',
          ]),
        )
      ).code,
    ).toBe('validation_failed');

    const unknown = await callRoute(list, token, 'GET', '', { brandSlug: 'cloudboxx' });
    expect(unknown.status).toBe(400);
    expect((await problemOf(unknown)).errors?.brandSlug?.[0]).toMatch(/Unknown brand/);
    const extra = await callRoute(
      create,
      token,
      'POST',
      '',
      { brandSlug: 'niu' },
      { name: 'N', client_id: 'n', client_secret: 's', brand: 'NIU' },
    );
    expect((await problemOf(extra)).code).toBe('validation_failed');
    const dup = await callRoute(
      create,
      token,
      'POST',
      '',
      { brandSlug: 'niu' },
      { name: 'MB', client_id: 'n', client_secret: 's' },
    );
    expect(dup.status).toBe(409);
    expect((await problemOf(dup)).code).toBe('name_taken');

    const vin = randomVin('WDD');
    expect(
      (
        await callRoute(
          addVehicle,
          token,
          'POST',
          '/api/v1/vehicles',
          {},
          { vin, brand: 'MERCEDES_BENZ', oem_credential_id: id },
        )
      ).status,
    ).toBe(201);
    const inUse = await callRoute(del, token, 'DELETE', '', { brandSlug: 'mercedes-benz', credentialId: id });
    expect(inUse.status).toBe(409);
    const conflict = await problemOf(inUse);
    expect(conflict.code).toBe('oem_credential_in_use');
    expect(conflict.detail).toContain(vin);
    expect(conflict.errors?.vehicles).toEqual([vin]);
  });

  it('answers 401 for an invalid token, 403 for a token without the scope, 404 across organizations', async () => {
    const mine = await orgWithRoles();
    const theirs = await orgWithRoles();
    const token = await bearerFor(mine.adminCtx, ['manage:oem_credentials']);
    const theirToken = await bearerFor(theirs.adminCtx, ['manage:oem_credentials']);
    const auditOnly = await bearerFor(mine.adminCtx, ['read:audit']);
    const { id } = (await (
      await callRoute(
        create,
        token,
        'POST',
        '',
        { brandSlug: 'segway' },
        { name: 'S', client_id: 's', client_secret: 's' },
      )
    ).json()) as { id: string };

    // (No token at all falls through to the console session, which needs a real request: see e2e.)
    const invalid = await callRoute(list, 'not.a.token', 'GET', '', { brandSlug: 'segway' });
    expect(invalid.status).toBe(401);
    expect((await problemOf(invalid)).code).toBe('invalid_token');
    const forbidden = await callRoute(
      create,
      auditOnly,
      'POST',
      '',
      { brandSlug: 'segway' },
      { name: 'T', client_id: 't', client_secret: 's' },
    );
    expect(forbidden.status).toBe(403);
    expect((await problemOf(forbidden)).code).toBe('insufficient_scope');
    for (const [handler, method, body] of [
      [getOne, 'GET', undefined],
      [patch, 'PATCH', { client_secret: 'stolen' }],
      [del, 'DELETE', undefined],
    ] as const) {
      const res = await callRoute(handler, theirToken, method, '', { brandSlug: 'segway', credentialId: id }, body);
      expect(res.status, method).toBe(404);
    }
    expect(await db.oemCredential.count({ where: { id } })).toBe(1);
  });
});

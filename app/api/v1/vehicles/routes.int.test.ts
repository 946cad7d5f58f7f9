import { describe, expect, it } from 'vitest';
import { bearerFor, callRoute, problemOf } from '@/lib/testing/oem-api';
import { randomVin } from '@/lib/testing/oem-fixtures';
import { orgWithRoles } from '@/lib/testing/service-account-fixtures';
import { POST as createCredential } from '../credentials/[brandSlug]/route';
import { DELETE as remove, GET as getOne } from './[vehicleId]/route';
import { GET as lookup } from './lookup/route';
import { GET as list, POST as add } from './route';

describe('/api/v1/vehicles route handlers (bearer)', () => {
  it('adds, looks up, lists and removes vehicles; refuses bad VINs and wrong brands', async () => {
    const { adminCtx } = await orgWithRoles();
    const token = await bearerFor(adminCtx, ['manage:vehicles', 'manage:oem_credentials']);
    const niu = (await (
      await callRoute(
        createCredential,
        token,
        'POST',
        '',
        { brandSlug: 'niu' },
        { name: 'NIU', client_id: 'n', client_secret: 's' },
      )
    ).json()) as { id: string };

    const vin = randomVin('1FT');
    const looked = await callRoute(lookup, token, 'GET', `/api/v1/vehicles/lookup?vin=${vin}`);
    expect(await looked.json()).toMatchObject({
      valid: true,
      brand: null,
      region: 'North America',
      check_digit: 'valid',
      registered: false,
    });
    const bad = await callRoute(
      lookup,
      token,
      'GET',
      `/api/v1/vehicles/lookup?vin=${vin.slice(0, 8)}${vin[8] === '0' ? '1' : '0'}${vin.slice(9)}`,
    );
    expect(await bad.json()).toMatchObject({ valid: false, problem: expect.stringMatching(/check digit/) });

    const badVin = await callRoute(
      add,
      token,
      'POST',
      '/api/v1/vehicles',
      {},
      { vin: 'WDD2O50461F123456', brand: 'CLOUDBOXX' },
    );
    expect(badVin.status).toBe(400);
    expect((await problemOf(badVin)).errors?.vin?.[0]).toMatch(/I, O or Q/);
    const mismatch = await callRoute(
      add,
      token,
      'POST',
      '/api/v1/vehicles',
      {},
      { vin, brand: 'SEGWAY', oem_credential_id: niu.id },
    );
    expect((await problemOf(mismatch)).code).toBe('brand_mismatch');

    const created = await callRoute(
      add,
      token,
      'POST',
      '/api/v1/vehicles',
      {},
      { vin, brand: 'NIU', oem_credential_id: niu.id },
    );
    expect(created.status).toBe(201);
    const vehicle = (await created.json()) as { id: string; vin: string };
    const again = await callRoute(
      add,
      token,
      'POST',
      '/api/v1/vehicles',
      {},
      { vin, brand: 'NIU', oem_credential_id: niu.id },
    );
    expect((await problemOf(again)).code).toBe('vin_taken');
    expect(
      (
        (await (await callRoute(list, token, 'GET', '/api/v1/vehicles')).json()) as { data: Array<{ vin: string }> }
      ).data.map((v) => v.vin),
    ).toEqual([vin]);
    expect((await callRoute(getOne, token, 'GET', '', { vehicleId: vehicle.id })).status).toBe(200);
    // By VIN too (any case), e.g. DELETE /api/v1/vehicles/<VIN>.
    expect(await (await callRoute(getOne, token, 'GET', '', { vehicleId: vin.toLowerCase() })).json()).toMatchObject({
      id: vehicle.id,
    });
    expect((await callRoute(getOne, token, 'GET', '', { vehicleId: 'nonsense' })).status).toBe(400);
    expect((await callRoute(remove, token, 'DELETE', '', { vehicleId: vin })).status).toBe(204);
    expect((await callRoute(getOne, token, 'GET', '', { vehicleId: vehicle.id })).status).toBe(404);
  });

  it('answers 401, 403 and 404 where it must', async () => {
    const mine = await orgWithRoles();
    const theirs = await orgWithRoles();
    const token = await bearerFor(mine.adminCtx, ['manage:vehicles']);
    const readOnly = await bearerFor(mine.adminCtx, ['manage:oem_credentials']);
    const theirToken = await bearerFor(theirs.adminCtx, ['manage:vehicles']);
    const vehicle = (await (
      await callRoute(add, token, 'POST', '/api/v1/vehicles', {}, { vin: randomVin('1FT'), brand: 'CLOUDBOXX' })
    ).json()) as { id: string };
    expect((await callRoute(list, 'not.a.token', 'GET', '/api/v1/vehicles')).status).toBe(401);
    expect((await callRoute(list, readOnly, 'GET', '/api/v1/vehicles')).status).toBe(200);
    expect(
      (
        await problemOf(
          await callRoute(add, readOnly, 'POST', '/api/v1/vehicles', {}, { vin: randomVin('1FT'), brand: 'CLOUDBOXX' }),
        )
      ).code,
    ).toBe('insufficient_scope');
    expect((await callRoute(getOne, theirToken, 'GET', '', { vehicleId: vehicle.id })).status).toBe(404);
    expect((await callRoute(remove, theirToken, 'DELETE', '', { vehicleId: vehicle.id })).status).toBe(404);
    expect((await callRoute(getOne, token, 'GET', '', { vehicleId: vehicle.id })).status).toBe(200);
  });
});

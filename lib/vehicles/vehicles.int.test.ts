import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { createTestOrg, createTestMember, memberCtx } from '@/lib/testing/factories';
import { createTestOemCredential, randomVin } from '@/lib/testing/oem-fixtures';
import { addVehicle } from './add-vehicle';
import { lookupVin } from './lookup-vin';
import { getVehicle, listVehicles } from './queries';
import { removeVehicle } from './remove-vehicle';
import { addVehicleInput } from './schema';

async function adminCtx() {
  const org = await createTestOrg();
  const user = await createTestMember(org.id, 'ADMIN');
  return memberCtx(org, user, 'ADMIN');
}

async function code(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe('vehicles', () => {
  it('adds, lists and removes a vehicle, audited', async () => {
    const ctx = await adminCtx();
    const { credential } = await createTestOemCredential(ctx, 'MERCEDES_BENZ');
    const vin = randomVin('WDD');
    const vehicle = await addVehicle(
      ctx,
      addVehicleInput.parse({ vin: vin.toLowerCase(), brand: 'MERCEDES_BENZ', oem_credential_id: credential.id }),
    );
    expect(vehicle).toMatchObject({
      vin,
      brand: 'MERCEDES_BENZ',
      oem_credential: { id: credential.id, name: credential.name },
    });
    expect(await listVehicles(ctx)).toEqual([vehicle]);
    const cloudboxx = await addVehicle(ctx, addVehicleInput.parse({ vin: randomVin('1FT'), brand: 'CLOUDBOXX' }));
    expect(cloudboxx.oem_credential).toBeNull();
    await removeVehicle(ctx, vehicle.id);
    expect(await code(getVehicle(ctx, vehicle.id))).toBe('not_found');
    expect(
      await db.auditEvent.count({
        where: { organizationId: ctx.orgId, action: { in: ['vehicle.added', 'vehicle.removed'] } },
      }),
    ).toBe(3);
  });

  it('refuses bad VINs with a reason', () => {
    for (const vin of ['WDD205046', 'WDD2O50461F123456', '1M8GDM9A1KP042788', 'WDD2050461F12345!']) {
      const result = addVehicleInput.safeParse({ vin, brand: 'CLOUDBOXX' });
      expect(result.success, vin).toBe(false);
    }
    expect(addVehicleInput.safeParse({ vin: '1M8GDM9AXKP042788', brand: 'CLOUDBOXX' }).success).toBe(true);
    expect(addVehicleInput.safeParse({ vin: '1M8GDM9AXKP042788', brand: 'TESLA' }).success).toBe(false);
  });

  it('refuses a credential of another brand, a missing credential, a credential for CloudBoxx and a duplicate VIN', async () => {
    const ctx = await adminCtx();
    const { credential: niu } = await createTestOemCredential(ctx, 'NIU');
    const vin = randomVin('WDD');
    expect(await code(addVehicle(ctx, { vin, brand: 'MERCEDES_BENZ', oem_credential_id: niu.id }))).toBe(
      'brand_mismatch',
    );
    expect(await code(addVehicle(ctx, { vin, brand: 'MERCEDES_BENZ' }))).toBe('validation_failed');
    expect(await code(addVehicle(ctx, { vin, brand: 'CLOUDBOXX', oem_credential_id: niu.id }))).toBe('brand_mismatch');
    // A VIN whose manufacturer code says Mercedes-Benz is not an NIU vehicle, whatever the user picks.
    const refused = await addVehicle(ctx, { vin, brand: 'NIU', oem_credential_id: niu.id }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'brand_mismatch', fields: { brand: ['The VIN says Mercedes-Benz.'] } });
    // An unknown manufacturer code is the user's call.
    const niuVin = randomVin('ZZZ');
    await addVehicle(ctx, { vin: niuVin, brand: 'NIU', oem_credential_id: niu.id });
    expect(await code(addVehicle(ctx, { vin: niuVin, brand: 'NIU', oem_credential_id: niu.id }))).toBe('vin_taken');
    expect(await db.vehicle.count({ where: { organizationId: ctx.orgId } })).toBe(1);
  });

  it('keeps organizations apart: another org’s credential and vehicle are not_found', async () => {
    const ctx = await adminCtx();
    const other = await adminCtx();
    const { credential } = await createTestOemCredential(other, 'NIU');
    expect(await code(addVehicle(ctx, { vin: randomVin('ZZZ'), brand: 'NIU', oem_credential_id: credential.id }))).toBe(
      'not_found',
    );
    const theirs = await addVehicle(other, { vin: randomVin('ZZZ'), brand: 'NIU', oem_credential_id: credential.id });
    expect(await code(getVehicle(ctx, theirs.id))).toBe('not_found');
    expect(await code(removeVehicle(ctx, theirs.id))).toBe('not_found');
    expect(await listVehicles(ctx)).toEqual([]);
  });

  it('looks up a VIN: brand from the WMI, what connecting needs, and which credentials could serve it', async () => {
    const ctx = await adminCtx();
    const vin = randomVin('W1K');
    const before = await lookupVin(ctx, vin);
    expect(before).toMatchObject({
      valid: true,
      brand: 'MERCEDES_BENZ',
      check_digit: 'not_used',
      region: 'Europe',
      registered: false,
    });
    expect(before.options).toEqual([
      expect.objectContaining({ brand: 'MERCEDES_BENZ', needs_credential: true, can_connect: false, credentials: [] }),
    ]);

    const { credential } = await createTestOemCredential(ctx, 'MERCEDES_BENZ');
    const after = await lookupVin(ctx, vin);
    expect(after.options[0]).toMatchObject({
      can_connect: true,
      credentials: [{ id: credential.id, name: credential.name }],
    });

    const unknown = await lookupVin(ctx, '1M8GDM9AXKP042788');
    expect(unknown).toMatchObject({ valid: true, brand: null, check_digit: 'valid', region: 'North America' });
    expect(unknown.options.map((o) => [o.brand, o.can_connect])).toEqual([
      ['MERCEDES_BENZ', true],
      ['NIU', false],
      ['SEGWAY', false],
      ['CLOUDBOXX', true],
    ]);

    expect(await lookupVin(ctx, '1M8GDM9A1KP042788')).toMatchObject({
      valid: false,
      problem: expect.stringMatching(/check digit/),
    });
  });
});

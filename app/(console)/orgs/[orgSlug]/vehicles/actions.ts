'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { paths } from '@/lib/paths';
import { addVehicle } from '@/lib/vehicles/add-vehicle';
import { lookupVin } from '@/lib/vehicles/lookup-vin';
import { removeVehicle } from '@/lib/vehicles/remove-vehicle';
import { addVehicleInput, vehicleRef, vinLookupQuery } from '@/lib/vehicles/schema';

// Add a vehicle by VIN.
export const addVehicleAction = defineAction(
  { input: addVehicleInput, permission: 'vehicles.write' },
  async (ctx, input) => {
    const vehicle = await addVehicle(ctx, input);
    revalidatePath(paths.vehicles(ctx.orgSlug));
    return { vin: vehicle.vin };
  },
);

// Tell what a VIN is and what connecting it needs (reads only).
export const lookupVinAction = defineAction({ input: vinLookupQuery, permission: 'vehicles.read' }, (ctx, { vin }) =>
  lookupVin(ctx, vin),
);

// Remove a vehicle.
export const removeVehicleAction = defineAction(
  { input: vehicleRef, permission: 'vehicles.write' },
  async (ctx, { id }) => {
    await removeVehicle(ctx, id);
    revalidatePath(paths.vehicles(ctx.orgSlug));
  },
);

import { z } from 'zod';
import { apiRoute } from '@/lib/http/api-route';
import { getVehicle } from '@/lib/vehicles/queries';
import { removeVehicle } from '@/lib/vehicles/remove-vehicle';
import { vehicleRef } from '@/lib/vehicles/schema';

const params = z.object({ vehicleId: vehicleRef.shape.id });

// GET /api/v1/vehicles/{id}: one vehicle
export const GET = apiRoute({ permission: 'vehicles.read', params }, async (ctx, { params }) => Response.json(await getVehicle(ctx, params.vehicleId)));

// DELETE /api/v1/vehicles/{id}: remove a vehicle
export const DELETE = apiRoute({ permission: 'vehicles.write', params }, async (ctx, { params }) => {
  await removeVehicle(ctx, params.vehicleId);
  return new Response(null, { status: 204 });
});

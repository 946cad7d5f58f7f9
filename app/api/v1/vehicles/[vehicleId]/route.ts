import { z } from 'zod';
import { apiRoute } from '@/lib/http/api-route';
import { getVehicle } from '@/lib/vehicles/queries';
import { removeVehicle } from '@/lib/vehicles/remove-vehicle';
import { vehicleKey } from '@/lib/vehicles/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

const params = z.object({ vehicleId: vehicleKey });

// GET /api/v1/vehicles/{id or VIN}: one vehicle
export const GET = apiRoute({ permission: 'vehicles.read', params }, async (ctx, { params }) =>
  Response.json(await getVehicle(ctx, params.vehicleId)),
);

// DELETE /api/v1/vehicles/{id or VIN}: remove a vehicle
export const DELETE = apiRoute({ permission: 'vehicles.write', params }, async (ctx, { params }) => {
  await removeVehicle(ctx, params.vehicleId);
  return new Response(null, { status: 204 });
});

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET', 'DELETE');
export const PUT = notAllowed('GET', 'DELETE');
export const PATCH = notAllowed('GET', 'DELETE');

import { apiRoute } from '@/lib/http/api-route';
import { addVehicle } from '@/lib/vehicles/add-vehicle';
import { listVehicles } from '@/lib/vehicles/queries';
import { addVehicleInput } from '@/lib/vehicles/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/vehicles: list the organization's vehicles
export const GET = apiRoute({ permission: 'vehicles.read' }, async (ctx) =>
  Response.json({ data: await listVehicles(ctx) }),
);

// POST /api/v1/vehicles: add a vehicle by VIN, brand and (except CloudBoxx) an OEM credential of that brand
export const POST = apiRoute({ permission: 'vehicles.write', body: addVehicleInput }, async (ctx, { body }) =>
  Response.json(await addVehicle(ctx, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');

import { apiRoute } from '@/lib/http/api-route';
import { lookupVin } from '@/lib/vehicles/lookup-vin';
import { vinLookupQuery } from '@/lib/vehicles/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/vehicles/lookup?vin=…: is the VIN valid, which brand, can it be connected and what it needs
export const GET = apiRoute({ permission: 'vehicles.read', query: vinLookupQuery }, async (ctx, { query }) =>
  Response.json(await lookupVin(ctx, query.vin)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');

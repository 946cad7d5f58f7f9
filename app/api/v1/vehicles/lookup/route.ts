import { apiRoute } from '@/lib/http/api-route';
import { lookupVin } from '@/lib/vehicles/lookup-vin';
import { vinLookupQuery } from '@/lib/vehicles/schema';

// GET /api/v1/vehicles/lookup?vin=…: is the VIN valid, which brand, can it be connected and what it needs
export const GET = apiRoute({ permission: 'vehicles.read', query: vinLookupQuery }, async (ctx, { query }) =>
  Response.json(await lookupVin(ctx, query.vin)),
);

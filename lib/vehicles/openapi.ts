import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses } from '@/lib/openapi/problem-schema';
import { addVehicleInput, vehicleDto, vinLookupDto, vinLookupQuery } from './schema';

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const idPath = z.object({ id: z.string().meta({ description: 'Vehicle id (veh_…) or VIN.' }) });
const problem = problemResponses['400'].content['application/problem+json'].schema;
const tags = ['Vehicles'];

/** The /api/v1 operations of this domain, built from the same zod schemas the routes parse. */
export const paths: ZodOpenApiPathsObject = {
  '/api/v1/vehicles': {
    get: {
      operationId: 'listVehicles',
      summary: "List the organization's vehicles",
      description: 'Every vehicle of the organization with its brand and OEM credential, ordered by VIN.',
      tags,
      responses: { '200': json(z.object({ data: z.array(vehicleDto) }), 'The vehicles, by VIN.'), ...problemResponses },
    },
    post: {
      operationId: 'addVehicle',
      summary: 'Add a vehicle by VIN',
      description:
        'The VIN is validated (17 characters, no I/O/Q; the check digit where the region uses one: North America and China). Mercedes-Benz, NIU and Segway vehicles need an OEM credential of the same brand (`brand_mismatch` otherwise); CloudBoxx vehicles take none.',
      tags,
      requestBody: { content: { 'application/json': { schema: addVehicleInput } } },
      responses: {
        '201': json(vehicleDto, 'Added.'),
        ...problemResponses,
        '409': {
          description: '`vin_taken`: the organization already has this VIN.',
          content: { 'application/problem+json': { schema: problem } },
        },
      },
    },
  },
  '/api/v1/vehicles/lookup': {
    get: {
      operationId: 'lookupVin',
      summary: 'Look up a VIN: validity, brand, and what connecting it needs',
      tags,
      requestParams: { query: vinLookupQuery },
      responses: {
        '200': json(
          vinLookupDto,
          'What the VIN is and what connecting it needs; an invalid VIN answers valid=false with the reason.',
        ),
        ...problemResponses,
      },
    },
  },
  '/api/v1/vehicles/{id}': {
    get: {
      operationId: 'getVehicle',
      summary: 'Read a vehicle',
      tags,
      requestParams: { path: idPath },
      responses: { '200': json(vehicleDto, 'The vehicle.'), ...problemResponses },
    },
    delete: {
      operationId: 'removeVehicle',
      summary: 'Remove a vehicle',
      tags,
      requestParams: { path: idPath },
      responses: { '204': { description: 'Removed.' }, ...problemResponses },
    },
  },
};

import { db } from '@/lib/db/client';
import { apiRoute } from '@/lib/http/api-route';
import { toOrganizationDto, updateOrganization } from '@/lib/organizations/update-organization';
import { updateOrganizationInput } from '@/lib/organizations/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/organization: the caller's organization and its settings
export const GET = apiRoute({ permission: 'organization.read' }, async (ctx) =>
  Response.json(toOrganizationDto(await db.organization.findUniqueOrThrow({ where: { id: ctx.orgId } }))),
);

// PATCH /api/v1/organization: rename it or set the maximum credential lifetime
export const PATCH = apiRoute(
  { permission: 'organization.write', body: updateOrganizationInput },
  async (ctx, { body }) => Response.json(await updateOrganization(ctx, body)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET', 'PATCH');
export const PUT = notAllowed('GET', 'PATCH');
export const DELETE = notAllowed('GET', 'PATCH');

import { tokenActivityQuery } from '@/lib/audit/filters';
import { tokenActivity } from '@/lib/audit/queries';
import { apiRoute } from '@/lib/http/api-route';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/audit-events/token-activity: token.issued and token.refused counts per hour or day
export const GET = apiRoute({ permission: 'audit.read', query: tokenActivityQuery }, async (ctx, { query }) =>
  Response.json(await tokenActivity(ctx, query)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const POST = notAllowed('GET');
export const PUT = notAllowed('GET');
export const PATCH = notAllowed('GET');
export const DELETE = notAllowed('GET');

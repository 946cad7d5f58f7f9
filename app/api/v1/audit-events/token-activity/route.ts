import { tokenActivityQuery } from '@/lib/audit/filters';
import { tokenActivity } from '@/lib/audit/queries';
import { apiRoute } from '@/lib/http/api-route';

// GET /api/v1/audit-events/token-activity: token.issued and token.refused counts per hour or day
export const GET = apiRoute({ permission: 'audit.read', query: tokenActivityQuery }, async (ctx, { query }) =>
  Response.json(await tokenActivity(ctx, query)),
);

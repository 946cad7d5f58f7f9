import { apiRoute } from '@/lib/http/api-route';
import { createServiceAccount } from '@/lib/service-accounts/create-service-account';
import { listServiceAccounts } from '@/lib/service-accounts/queries';
import { createServiceAccountInput, listServiceAccountsQuery } from '@/lib/service-accounts/schema';
import { notAllowed } from '@/lib/http/method-not-allowed';

// GET /api/v1/service-accounts: list the organization's service accounts (search, filters, pages)
export const GET = apiRoute(
  { permission: 'service_accounts.read', query: listServiceAccountsQuery },
  async (ctx, { query }) => Response.json(await listServiceAccounts(ctx, query)),
);

// POST /api/v1/service-accounts: create a service account
export const POST = apiRoute(
  { permission: 'service_accounts.write', body: createServiceAccountInput },
  async (ctx, { body }) => Response.json(await createServiceAccount(ctx, body), { status: 201 }),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const PUT = notAllowed('GET', 'POST');
export const PATCH = notAllowed('GET', 'POST');
export const DELETE = notAllowed('GET', 'POST');

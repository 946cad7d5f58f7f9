import { apiRoute } from '@/lib/http/api-route';
import { verifyAuditChain } from '@/lib/audit/verify-audit-chain';

// POST /api/v1/audit-events/verify: check the organization's hash chain; names the first broken link
export const POST = apiRoute({ permission: 'audit.verify' }, async (ctx) => Response.json(await verifyAuditChain(ctx)));

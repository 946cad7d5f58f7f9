import { apiRoute } from '@/lib/http/api-route';
import { verifyAuditChain, verifyAuditChainStream } from '@/lib/audit/verify-audit-chain';
import { notAllowed } from '@/lib/http/method-not-allowed';

// POST /api/v1/audit-events/verify: check the organization's hash chain; names the first broken link.
// With "Accept: application/x-ndjson" the answer streams progress lines before the result
// (the console's verify button shows them; a million events take seconds).
export const POST = apiRoute({ permission: 'audit.verify' }, async (ctx, { request }) =>
  request.headers.get('accept')?.includes('application/x-ndjson')
    ? new Response(verifyAuditChainStream(ctx), {
        headers: { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' },
      })
    : Response.json(await verifyAuditChain(ctx)),
);

// Any other method: 405 with Allow (lib/http/method-not-allowed.ts).
export const GET = notAllowed('POST');
export const PUT = notAllowed('POST');
export const PATCH = notAllowed('POST');
export const DELETE = notAllowed('POST');

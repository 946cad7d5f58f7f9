import { gebetaRefresh } from '@/lib/compat/gebeta/flow';

export const dynamic = 'force-dynamic';

// POST /compat/gebeta/api/v1/external/refresh: Gebeta Maps refresh token rotation
export const POST = (request: Request) => gebetaRefresh(request);

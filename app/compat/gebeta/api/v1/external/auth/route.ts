import { gebetaAuth } from '@/lib/compat/gebeta/flow';

export const dynamic = 'force-dynamic';

// POST /compat/gebeta/api/v1/external/auth: Gebeta Maps client token + server token → tokens
export const POST = (request: Request) => gebetaAuth(request);

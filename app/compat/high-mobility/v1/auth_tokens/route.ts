import { highMobilityAuthToken } from '@/lib/compat/high-mobility/flow';

export const dynamic = 'force-dynamic';

// POST /compat/high-mobility/v1/auth_tokens: High Mobility service account auth token (JWT assertion)
export const POST = (request: Request) => highMobilityAuthToken(request);

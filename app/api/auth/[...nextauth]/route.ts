import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/config';

// GET|POST /api/auth/*: next-auth (sign-in, sign-out, session, CSRF token, OIDC callback)
function handler(request: NextRequest, context: RouteContext<'/api/auth/[...nextauth]'>) {
  return NextAuth(request, context, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };

import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env, oidcEnabled } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { requestMeta } from '@/lib/http/request-meta';
import { logger } from '@/lib/logger';
import { signInInput } from './schema';
import { verifySignIn } from './sign-in';
import { findOrLinkSsoUser } from './sso';

function headerBag(headers: unknown) {
  const record = (headers ?? {}) as Record<string, string | string[] | undefined>;
  return {
    get(name: string): string | null {
      const value = record[name] ?? record[name.toLowerCase()];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    },
  };
}

let options: NextAuthOptions | undefined;

/**
 * authOptions configures next-auth: email + password (argon2id, rate limited, audited) and,
 * when OIDC_* variables are set, one OpenID Connect provider for SSO. Sessions are signed JWTs
 * in an HTTP-only cookie; the session carries only the user id, and membership and role are
 * read from the database on every request, so a removed member loses access at once.
 */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  const e = env();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
        code: { label: 'Authenticator code', type: 'text' },
      },
      async authorize(credentials, req) {
        const parsed = signInInput.safeParse(credentials ?? {});
        if (!parsed.success) throw new Error('validation_failed');
        try {
          const user = await verifySignIn(parsed.data, requestMeta(headerBag(req.headers)));
          return { id: user.id, email: user.email, name: user.name };
        } catch (error) {
          // next-auth passes the thrown message to the browser: only stable codes, never details.
          if (
            isAppError(error) &&
            ['invalid_credentials', 'rate_limited', 'totp_required', 'invalid_totp', 'totp_reused'].includes(error.code)
          )
            throw new Error(error.code);
          logger.error({ err: error }, 'sign-in failed unexpectedly');
          throw new Error('internal');
        }
      },
    }),
  ];
  if (oidcEnabled(e) && e.OIDC_ISSUER) {
    providers.push({
      id: 'oidc',
      name: e.OIDC_NAME,
      type: 'oauth',
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? profile.sub };
      },
    });
  }
  options = {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers,
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== 'oidc') return true;
        // SSO never creates users: an administrator must have added the email first.
        const linked = await findOrLinkSsoUser({ subject: account.providerAccountId, email: user.email ?? null });
        if (!linked) return '/sign-in?error=sso_not_provisioned';
        user.id = linked.id;
        return true;
      },
      async jwt({ token, user }) {
        // When the person signed in: a password change or reset ends every session older than it.
        if (user) {
          token.sub = user.id;
          token.authTime = Date.now();
        }
        return token;
      },
      async session({ session, token }) {
        const authTime = typeof token.authTime === 'number' ? token.authTime : 0;
        return { ...session, user: { ...session.user, id: token.sub ?? '', authTime } };
      },
    },
  };
  return options;
}

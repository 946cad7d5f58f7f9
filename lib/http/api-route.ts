import 'server-only';
import { z } from 'zod';
import type { OrgContext } from '@/lib/auth/context';
import { can, scopesGrant, scopesGranting, type Permission } from '@/lib/auth/permissions';
import { currentUser } from '@/lib/auth/session';
import { findMember } from '@/lib/auth/members';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError, toAppError, type FieldErrors } from '@/lib/errors';
import { logger } from '@/lib/logger';
import {
  authenticateManagementRequest,
  DpopChallengeError,
  NOT_A_MANAGEMENT_TOKEN,
} from '@/lib/oauth/management-bearer';
import { createLimiter, isRateLimitRejection, retryAfterSeconds } from '@/lib/rate-limit';
import { recordDenial } from '@/lib/audit/record-denial';
import { bearerChallenge, problemResponse } from './problem';
import { requestMeta } from './request-meta';

const MAX_BODY_BYTES = 1_000_000;
/** The header a console session uses to say which of its organizations a call is about. */
export const ORG_HEADER = 'latchkey-organization';

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiRouteConfig<B extends Schema, Q extends Schema, P extends Schema> = {
  permission: Permission;
  body?: B;
  query?: Q;
  params?: P;
};

export type ApiInput<B extends Schema, Q extends Schema, P extends Schema> = {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  request: Request;
};

let limiter: ReturnType<typeof createLimiter> | undefined;

function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new AppError('validation_failed', `The ${what} is invalid.`, { fields: fieldErrors(result.error) });
  return result.data;
}

function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length > 1 ? all : (all[0] as string);
  }
  return out;
}

async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type))
    throw new AppError('unsupported_media_type', 'Send a JSON body with Content-Type: application/json.');
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw new AppError('payload_too_large', 'The request body is larger than 1 MB.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid JSON.');
  }
}

/**
 * callerContext authenticates an /api/v1 call: an access token of an isAdmin service account
 * (Bearer, or DPoP with a proof when the token is DPoP-bound; its scopes must grant the permission), or a console session (the member's role
 * must). Session calls name their organization in the Latchkey-Organization header unless the
 * member has exactly one; state-changing session calls must come from our own origin (CSRF).
 */
async function callerContext(
  request: Request,
  permission: Permission,
  meta: ReturnType<typeof requestMeta>,
): Promise<OrgContext> {
  const authorization = request.headers.get('authorization');
  if (authorization) {
    const caller = await authenticateManagementRequest(authorization, request, meta);
    if (!caller) throw new AppError('invalid_token', 'The access token is missing, malformed, expired or revoked.');
    if (caller === NOT_A_MANAGEMENT_TOKEN)
      throw new AppError(
        'insufficient_scope',
        'This token cannot call the management API: its service account is not an admin account, or the token is narrowed to a project.',
      );
    const ctx: OrgContext = {
      orgId: caller.orgId,
      orgSlug: caller.orgSlug,
      role: 'ADMIN',
      actor: { type: 'SERVICE_ACCOUNT', id: caller.serviceAccountId, label: caller.serviceAccountName },
      // What the token holds bounds what it may grant (lib/auth/grant-rules.ts): role ADMIN
      // above only opens the routes its scopes allow, it does not make the token an admin member.
      tokenScopes: caller.scopes,
      ...meta,
    };
    if (!scopesGrant(caller.scopes, permission))
      throw new CallerRefused(
        ctx,
        'insufficient_scope',
        `This call needs a token with a scope granting ${permission}.`,
      );
    return ctx;
  }
  const user = await currentUser();
  if (!user)
    throw new AppError('unauthenticated', 'Sign in, or send an access token as "Authorization: Bearer <token>".');
  if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
    const origin = request.headers.get('origin');
    const allowed = new URL(env().NEXTAUTH_URL).origin;
    if (origin !== allowed)
      throw new AppError('csrf_rejected', 'Cross-site requests cannot change anything with a console session.');
  }
  let slug = request.headers.get(ORG_HEADER);
  if (!slug) {
    const memberships = await db.membership.findMany({
      where: { userId: user.id },
      select: { organization: { select: { slug: true } } },
      take: 2,
    });
    if (memberships.length !== 1)
      throw new AppError('organization_required', `Name the organization in the ${ORG_HEADER} header.`);
    slug = memberships[0]?.organization.slug ?? '';
  }
  const member = await findMember(user.id, slug);
  // 404 rather than 403: another organization must look exactly like a missing one.
  if (!member) throw new AppError('not_found', 'Not found.');
  if (member.twoFactorMissing)
    throw new AppError(
      'two_factor_required',
      'This organization requires two-factor authentication: turn it on under Your account first.',
    );
  const ctx: OrgContext = {
    orgId: member.org.id,
    orgSlug: member.org.slug,
    role: member.role,
    actor: { type: 'MEMBER', id: user.id, label: user.email },
    ...meta,
  };
  if (!can(member.role, permission)) throw new CallerRefused(ctx, 'forbidden', 'Your role does not allow this.');
  return ctx;
}

/** A refusal of an authenticated caller, with who it was: recorded as a denied request. */
class CallerRefused extends AppError {
  constructor(
    readonly ctx: OrgContext,
    code: 'forbidden' | 'insufficient_scope',
    detail: string,
  ) {
    super(code, detail);
  }
}

/** The refusals of an authenticated caller that the audit log records (lib/audit/record-denial.ts). */
const DENIED_CODES = new Set(['forbidden', 'insufficient_scope', 'not_found']);

/**
 * apiRoute wraps an /api/v1 route handler. In order: request id, caller and permission,
 * rate limit per organization, params, query and body validation (zod), the handler, and
 * error mapping: AppError → RFC 9457 problem; anything else → logged, 500 without detail.
 */
export function apiRoute<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
  config: ApiRouteConfig<B, Q, P>,
  handler: (ctx: OrgContext, input: ApiInput<B, Q, P>) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<unknown> }): Promise<Response> => {
    const meta = requestMeta(request.headers);
    let caller: OrgContext | undefined;
    try {
      const ctx = await callerContext(request, config.permission, meta);
      caller = ctx;
      limiter ??= createLimiter({ keyPrefix: 'api-org', points: 1200, durationSeconds: 60 });
      try {
        await limiter.consume(ctx.orgId);
      } catch (error) {
        if (isRateLimitRejection(error))
          throw new AppError('rate_limited', 'Too many requests for this organization.', {
            retryAfterSeconds: retryAfterSeconds(error),
          });
        throw error;
      }
      const params = config.params ? parse(config.params, await context.params, 'path') : undefined;
      const query = config.query ? parse(config.query, queryObject(new URL(request.url)), 'query string') : undefined;
      const body = config.body ? parse(config.body, await readJson(request), 'request body') : undefined;
      const response = await handler(ctx, { body, query, params, request } as ApiInput<B, Q, P>);
      response.headers.set('X-Request-Id', meta.requestId);
      if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
      return response;
    } catch (error) {
      const appError = toAppError(error);
      const refused = error instanceof CallerRefused ? error.ctx : caller;
      if (appError && refused && DENIED_CODES.has(appError.code))
        await recordDenial(refused, {
          code: appError.code,
          permission: config.permission,
          method: request.method,
          path: new URL(request.url).pathname,
        });
      if (appError) {
        const challenge = bearerChallenge(appError, scopesGranting(config.permission));
        const headers =
          appError instanceof DpopChallengeError
            ? appError.challengeHeaders()
            : challenge
              ? { 'WWW-Authenticate': challenge }
              : {};
        return problemResponse(appError, meta.requestId, headers);
      }
      logger.error({ err: error, requestId: meta.requestId }, 'api route failed');
      return problemResponse(new AppError('internal', 'Something went wrong on our side.'), meta.requestId);
    }
  };
}

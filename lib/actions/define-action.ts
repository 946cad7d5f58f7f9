import 'server-only';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import { z } from 'zod';
import type { RequestMeta } from '@/lib/audit/actor';
import type { OrgContext } from '@/lib/auth/context';
import { can, type Permission } from '@/lib/auth/permissions';
import { currentUser, memberContext, type SessionUser } from '@/lib/auth/session';
import { recordDenial } from '@/lib/audit/record-denial';
import { AppError, toAppError, type ErrorCode, type FieldErrors } from '@/lib/errors';
import { env } from '@/lib/env';
import { requestMeta } from '@/lib/http/request-meta';
import { appOrigin, isSameOriginRequest } from '@/lib/http/same-origin';
import { logger } from '@/lib/logger';

/** ActionResult is what every server action returns; forms read it with useActionState. */
export type ActionResult<T = void> =
  { ok: true; data: T } | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors };

type ActionFn<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/** formDataToObject turns form fields into a plain object; repeated names become arrays. */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith('$ACTION')) continue;
    const v = typeof value === 'string' ? value : value.name;
    const existing = out[key];
    if (existing === undefined) out[key] = v;
    else out[key] = Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  return out;
}

function failure(error: unknown, requestId: string): ActionResult<never> {
  unstable_rethrow(error);
  const appError = toAppError(error);
  if (appError) return { ok: false, code: appError.code, message: appError.detail, fieldErrors: appError.fields };
  // A bug: log it with the request id, show nothing of it.
  logger.error({ err: error, requestId }, 'server action failed');
  return { ok: false, code: 'internal', message: `Something went wrong. Reference: ${requestId}` };
}

const CSRF_REJECTED: ActionResult<never> = {
  ok: false,
  code: 'csrf_rejected',
  message: 'This change was not sent from a Latchkey page: reload the page and try again.',
};

/**
 * requestFrom reads the request's headers and tells whether it may run at all. Server actions
 * are POST endpoints any site can target with a member's cookies (SameSite=Lax lets a top-level
 * form post through in some browsers, and a same-site sibling is not same-origin), so every
 * action first requires a same-origin request (lib/http/same-origin.ts), before the session,
 * input or handler are looked at. scripts/server.ts refuses the same requests with a 403 before
 * Next; this check also covers `next dev` and any other way the app is served.
 */
async function requestFrom(): Promise<{ meta: RequestMeta; sameOrigin: boolean }> {
  const h = await headers();
  return {
    meta: requestMeta(h),
    sameOrigin: isSameOriginRequest((name) => h.get(name), appOrigin(env().NEXTAUTH_URL)),
  };
}

function invalid(error: z.ZodError): ActionResult<never> {
  const flat = z.flattenError(error);
  return {
    ok: false,
    code: 'validation_failed',
    message: flat.formErrors[0] ?? 'Check the highlighted fields.',
    fieldErrors: flat.fieldErrors as FieldErrors,
  };
}

/**
 * defineAction wraps an organization-scoped server action. Server actions are public POST
 * endpoints, so this re-checks everything a page checked: the session, membership of the
 * organization named by the form's `orgSlug` field (after the same-origin check of requestFrom) (404 when not a member: another org looks
 * missing), the permission (403 when the member may read but not change), then validates the
 * input with the same zod schema the form and the API use.
 */
export function defineAction<S extends z.ZodType, T>(
  config: { input: S; permission: Permission },
  handler: (ctx: OrgContext, input: z.output<S>) => Promise<T>,
): ActionFn<T> {
  return async (_previous, formData) => {
    const { meta, sameOrigin } = await requestFrom();
    if (!sameOrigin) return CSRF_REJECTED;
    const fields = formDataToObject(formData);
    let ctx: OrgContext | undefined;
    try {
      const orgSlug = typeof fields.orgSlug === 'string' ? fields.orgSlug : '';
      const session = await memberContext(orgSlug);
      if (!session) throw new AppError('not_found', 'Not found.');
      ctx = session.ctx;
      if (!can(session.role, config.permission))
        throw new AppError('forbidden', 'Your role does not allow this change.');
      delete fields.orgSlug;
      const parsed = config.input.safeParse(fields);
      if (!parsed.success) return invalid(parsed.error);
      return { ok: true, data: await handler(session.ctx, parsed.data) };
    } catch (error) {
      // A member refused (their role, or an object outside their organization): audited.
      const code = toAppError(error)?.code;
      if (ctx && (code === 'forbidden' || code === 'not_found'))
        await recordDenial(ctx, {
          code,
          permission: config.permission,
          method: 'ACTION',
          path: handler.name || 'server action',
        });
      return failure(error, meta.requestId);
    }
  };
}

/** definePublicAction wraps an action that needs no session (first-run setup). */
export function definePublicAction<S extends z.ZodType, T>(
  config: { input: S },
  handler: (meta: RequestMeta, input: z.output<S>) => Promise<T>,
): ActionFn<T> {
  return async (_previous, formData) => {
    const { meta, sameOrigin } = await requestFrom();
    if (!sameOrigin) return CSRF_REJECTED;
    try {
      const parsed = config.input.safeParse(formDataToObject(formData));
      if (!parsed.success) return invalid(parsed.error);
      return { ok: true, data: await handler(meta, parsed.data) };
    } catch (error) {
      return failure(error, meta.requestId);
    }
  };
}

/** defineUserAction wraps an action on the signed-in person's own login (second factor). */
export function defineUserAction<S extends z.ZodType, T>(
  config: { input: S },
  handler: (user: SessionUser, input: z.output<S>, meta: RequestMeta) => Promise<T>,
): ActionFn<T> {
  return async (_previous, formData) => {
    const { meta, sameOrigin } = await requestFrom();
    if (!sameOrigin) return CSRF_REJECTED;
    try {
      const user = await currentUser();
      if (!user) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
      const parsed = config.input.safeParse(formDataToObject(formData));
      if (!parsed.success) return invalid(parsed.error);
      return { ok: true, data: await handler(user, parsed.data, meta) };
    } catch (error) {
      return failure(error, meta.requestId);
    }
  };
}

import { isDatabaseUnavailable } from '@/lib/db/unavailable';
import { toAppError, type FieldErrors } from '@/lib/errors';

export type CliFailure = { code: string; message: string; fields?: FieldErrors };

/**
 * cliFailure is what the CLI prints for a failed command: a stable code and a message safe to
 * show, never the error's own text. An ORM error's message quotes the call and the query
 * ("Invalid `db.organization.findMany()` invocation …"), a driver's the server's internals:
 * known database failures map through toAppError like everywhere else, an unreachable database
 * says so, and anything else is `internal` with at most the database error code to look up.
 */
export function cliFailure(error: unknown): CliFailure {
  // Before toAppError, whose service_unavailable suits a remote caller: the CLI runs beside the
  // database and can say what to do about it.
  if (isDatabaseUnavailable(error))
    return {
      code: 'database_unreachable',
      message: 'Cannot reach the database: run `npm start` first, or set DATABASE_URL.',
    };
  const appError = toAppError(error);
  if (appError)
    return { code: appError.code, message: appError.detail, ...(appError.fields ? { fields: appError.fields } : {}) };
  const { code, name, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  const text = typeof message === 'string' ? message : '';
  if (
    name === 'PrismaClientInitializationError' ||
    code === 'ECONNREFUSED' ||
    /Can't reach database server|ECONNREFUSED/.test(text)
  )
    return {
      code: 'database_unreachable',
      message: 'Cannot reach the database: run `npm start` first, or set DATABASE_URL.',
    };
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    return { code: 'invalid_request', message: text.split('\n')[0] ?? 'Invalid arguments.' };
  const reference = typeof code === 'string' && /^(P\d{4}|[0-9A-Z]{5})$/.test(code) ? ` (database error ${code})` : '';
  return {
    code: 'internal',
    message: `The command failed${reference}. Nothing more is shown here; check the database and try again.`,
  };
}

import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/errors';

const MAX_BYTES = 64 * 1024;

/**
 * readCompatBody reads a vendor flow's body, JSON or form-encoded as the vendors accept, and
 * validates it with `schema`. Unreadable or invalid input is an AppError `validation_failed`
 * (each vendor's errors.ts renders it in that vendor's shape).
 */
export async function readCompatBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { allowForm: boolean } = { allowForm: true },
): Promise<z.output<S>> {
  const type = request.headers.get('content-type') ?? '';
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BYTES) throw new AppError('validation_failed', 'The request body is too large.');
  let value: unknown;
  if (text.trim() === '') {
    value = {};
  } else if (/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      throw new AppError('validation_failed', 'The request body is not valid JSON.');
    }
  } else if (options.allowForm && /^application\/x-www-form-urlencoded\b/i.test(type)) {
    value = Object.fromEntries(new URLSearchParams(text));
  } else {
    throw new AppError('validation_failed', options.allowForm ? 'Send JSON or form data.' : 'Send a JSON body.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fields[issue.path.join('.') || '_'] ??= []).push(issue.message);
    throw new AppError('validation_failed', `Invalid request: ${Object.keys(fields).join(', ')}.`, { fields });
  }
  return parsed.data;
}

import 'server-only';
import busboy from 'busboy';
import { z } from 'zod';
import { AppError } from '@/lib/errors';

const MAX_BYTES = 64 * 1024;
/** A token request has a handful of fields; more is a malformed or hostile body. */
const MAX_FIELDS = 20;

function tooLarge(): AppError {
  return new AppError('validation_failed', 'The request body is too large.');
}

/**
 * readMultipart parses a multipart/form-data body (RFC 7578) with busboy: text fields only,
 * within the same byte limit as the other encodings and at most MAX_FIELDS fields. A file part,
 * a truncated field or a malformed body is a validation_failed AppError, never a crash. The last
 * value of a repeated field wins, as for URL-encoded forms (Object.fromEntries).
 */
function readMultipart(type: string, bytes: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': type },
        limits: { fieldSize: MAX_BYTES, fields: MAX_FIELDS, files: 0, parts: MAX_FIELDS },
      });
    } catch {
      // busboy throws on a multipart type without a boundary.
      reject(new AppError('validation_failed', 'The multipart body has no boundary.'));
      return;
    }
    const refuse = (detail: string) => reject(new AppError('validation_failed', detail));
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) refuse('A form field is too large.');
      else fields[name] = value;
    });
    parser.on('file', (_name, stream) => {
      stream.resume();
      refuse('Send form fields, not files.');
    });
    parser.on('filesLimit', () => refuse('Send form fields, not files.'));
    parser.on('fieldsLimit', () => refuse('The form has too many fields.'));
    parser.on('partsLimit', () => refuse('The form has too many fields.'));
    parser.on('error', () => refuse('The multipart body is malformed.'));
    parser.on('close', () => resolve(fields));
    parser.end(bytes);
  });
}

/**
 * readCompatBody reads a vendor flow's body, JSON or form data (application/x-www-form-urlencoded
 * or multipart/form-data, which High Mobility's Node example sends through `request`'s
 * `formData`) as the vendors accept, at most 64 KiB, and validates it with `schema`. It reads
 * from a WHATWG Request, so any mount that hands it one behaves the same. Unreadable or invalid
 * input is an AppError `validation_failed` (each vendor's errors.ts renders it in that vendor's shape).
 */
export async function readCompatBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { allowForm: boolean } = { allowForm: true },
): Promise<z.output<S>> {
  const type = request.headers.get('content-type') ?? '';
  const announced = Number(request.headers.get('content-length') ?? 0);
  if (announced > MAX_BYTES) throw tooLarge();
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > MAX_BYTES) throw tooLarge();
  const text = bytes.toString('utf8');
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
  } else if (options.allowForm && /^multipart\/form-data\b/i.test(type)) {
    value = await readMultipart(type, bytes);
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

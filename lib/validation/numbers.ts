import { z } from 'zod';

/**
 * jsonNumber is a number field of a JSON body: strict, so "3600" is refused rather than coerced
 * (a client that sends a string has a bug worth hearing about). The message says so when a
 * string arrives. Console forms turn their text fields into numbers first (formNumber).
 */
export function jsonNumber(message: string) {
  return z.number({
    error: (issue) =>
      typeof issue.input === 'string' ? `${message} Send it as a JSON number, not a string.` : message,
  });
}

/**
 * formNumber reads a number typed into a console form field: empty is "not given" (undefined),
 * plain decimal text is its number, anything else NaN (which the schema refuses with its own
 * message). Hex, exponents and the like are not numbers a person types into these fields.
 */
export function formNumber(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === '') return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

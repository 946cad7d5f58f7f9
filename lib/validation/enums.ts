import { z } from 'zod';

/**
 * oneOf is an enum field whose error lists the allowed values, so a client that sends a wrong
 * one learns the right ones from the answer: "platform must be one of SERVER, WEB, …".
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, { error: `${what} must be one of ${values.join(', ')}.` });
}

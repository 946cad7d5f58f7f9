import { z } from 'zod';

/**
 * The rules every display name follows (organizations, projects, service accounts and their
 * credentials, OEM credentials, people), shared by the console forms, the server actions, the
 * API and the OpenAPI document:
 *
 * - valid Unicode: a lone UTF-16 surrogate (which JSON can carry as "\ud800") is refused;
 * - no control characters (category Cc), no format characters (Cf: zero-width spaces and joiners,
 *   the bidirectional overrides such as U+202E that make "exe.txt" display as "txt.exe"), and no
 *   line or paragraph separators (Zl, Zp): a name must look like what it is;
 * - stored in Unicode normalization form C, so "Cafe\u0301" and "Café" are one name and the
 *   unique indexes see them as one.
 */

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * nameProblem says what is wrong with a name's characters, in words that name the character,
 * or null when every character is allowed. Length and emptiness are the schema's business.
 */
export function nameProblem(value: string): string | null {
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate)
    return `Names must be valid Unicode text: this one holds an unpaired surrogate (${hex(surrogate[0].charCodeAt(0))}).`;
  const found = FORBIDDEN.exec(value);
  if (!found) return null;
  const char = found[0];
  const code = hex(char.codePointAt(0) ?? 0);
  if (BIDI_CONTROLS.test(char))
    return `Remove ${code}, a text-direction control: names cannot contain characters that reorder how text is shown.`;
  if (/\p{Cf}/u.test(char))
    return `Remove ${code}, an invisible formatting character (zero-width spaces and joiners are not allowed in names).`;
  return `Remove ${code}, a control character: names cannot contain control characters or line breaks.`;
}

/** normalizeName is what a valid name is stored as: trimmed, in normalization form C. */
export function normalizeName(value: string): string {
  return value.trim().normalize('NFC');
}

type NameOptions = {
  /** The message for a missing or empty name, e.g. "Enter a project name." */
  required: string;
  /** The most UTF-16 code units after normalization (default 100). */
  max?: number;
  /** The fewest, with its message, when more than one character is needed. */
  min?: { length: number; message: string };
};

/**
 * nameField is the zod schema of a display name: trimmed, refused with a message naming the
 * character when it holds one of the characters above, normalized to NFC, then length-checked.
 * It stays a plain string schema, so OpenAPI documents it as one.
 */
export function nameField({ required, max = 100, min }: NameOptions) {
  // No check aborts: an aborted field keeps the enclosing object's refinements (a password
  // confirmation, say) from running, and a form should show every problem at once. Instead each
  // length check runs only while the field has no issue yet (zod's `when`, which its check
  // parameter types leave out), so an empty name gets one message, not three.
  const onlyIfClean = (error: string) =>
    ({ error, when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 }) as { error: string };
  let schema = z
    .string({ error: required })
    .trim()
    .check((ctx) => {
      const problem = nameProblem(ctx.value);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    })
    .normalize('NFC')
    .min(1, onlyIfClean(required));
  if (min) schema = schema.min(min.length, onlyIfClean(min.message));
  return schema.max(max, onlyIfClean(`Use at most ${max} characters.`));
}

import { signValue, verifySignedValue } from '@/lib/crypto/signed-value';
import { AppError } from '@/lib/errors';

/** A keyset position: the (occurred_at, id) of the last event of a page. */
export type AuditCursor = { occurredAt: Date; id: bigint };

const PURPOSE = 'audit-cursor';
const SHAPE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,19})$/;

/**
 * encodeCursor writes the next_cursor of a page: the position, signed for the organization
 * (lib/crypto/signed-value.ts). A client cannot make one up, edit one, or use another
 * organization's; the server keeps no state for it.
 */
export function encodeCursor(orgId: string, c: AuditCursor): string {
  return signValue(PURPOSE, `${c.occurredAt.toISOString()}|${c.id.toString()}`, orgId);
}

/** decodeCursor reads a cursor this server issued to the organization, or null. */
export function decodeCursor(orgId: string, value: string): AuditCursor | null {
  const payload = verifySignedValue(PURPOSE, value, orgId);
  const match = payload === null ? null : SHAPE.exec(payload);
  if (!match?.[1] || !match[2]) return null;
  const occurredAt = new Date(match[1]);
  const id = BigInt(match[2]);
  if (Number.isNaN(occurredAt.getTime()) || id > 9_223_372_036_854_775_807n) return null;
  return { occurredAt, id };
}

/** readCursor is decodeCursor for a request: anything but a cursor we issued is 400 invalid_cursor. */
export function readCursor(orgId: string, value: string): AuditCursor {
  const cursor = decodeCursor(orgId, value);
  if (!cursor)
    throw new AppError(
      'invalid_cursor',
      'The cursor is not a next_cursor this server issued for this organization: start again from the first page.',
      { fields: { cursor: ['Not a cursor from a previous page.'] } },
    );
  return cursor;
}

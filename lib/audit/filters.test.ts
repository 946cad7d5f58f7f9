import { describe, expect, it } from 'vitest';
import { auditExportQuery, auditListQuery, decodeCursor, encodeCursor, filtersToSearchParams } from './filters';

describe('audit filters', () => {
  it('reads times as UTC unless they carry an offset', () => {
    const q = auditListQuery.parse({ from: '2026-04-01', to: '2026-04-02T10:30' });
    expect(q.from?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(q.to?.toISOString()).toBe('2026-04-02T10:30:00.000Z');
    expect(auditListQuery.parse({ from: '2026-04-01T12:00:00+02:00' }).from?.toISOString()).toBe(
      '2026-04-01T10:00:00.000Z',
    );
  });

  it('treats empty form fields as no filter and refuses nonsense', () => {
    expect(auditListQuery.parse({ from: '', actor: ' ', outcome: '' })).toEqual({});
    expect(auditListQuery.safeParse({ from: '2026-02-30T25:00' }).success).toBe(false);
    expect(auditListQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(auditListQuery.safeParse({ limit: '501' }).success).toBe(false);
    expect(auditListQuery.safeParse({ action: 'x'.repeat(101) }).success).toBe(false);
    expect(auditExportQuery.safeParse({ format: 'xml' }).success).toBe(false);
    expect(auditExportQuery.safeParse({}).success).toBe(false);
  });

  it('round-trips a keyset cursor and rejects forged ones', () => {
    const cursor = { occurredAt: new Date('2026-04-01T10:00:00.123Z'), id: 9_007_199_254_740_993n };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('bm90IGEgY3Vyc29y')).toBeNull();
    expect(decodeCursor(Buffer.from('2026-04-01T10:00:00.000Z|1; DROP TABLE x').toString('base64url'))).toBeNull();
  });

  it('writes filters back into a URL that parses to the same filters', () => {
    const filters = auditListQuery.parse({ from: '2026-04-01T10:00', action: 'token.refused', outcome: 'FAILURE' });
    const params = filtersToSearchParams(filters);
    expect(params.toString()).toBe('from=2026-04-01T10%3A00%3A00.000Z&action=token.refused&outcome=FAILURE');
    expect(auditListQuery.parse(Object.fromEntries(params))).toEqual(filters);
  });
});

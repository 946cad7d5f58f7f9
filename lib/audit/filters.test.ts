import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, readCursor } from './cursor';
import { auditExportQuery, auditListQuery, filtersToSearchParams } from './filters';

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

  it('round-trips a signed keyset cursor and rejects forged, edited and foreign ones', () => {
    const cursor = { occurredAt: new Date('2026-04-01T10:00:00.123Z'), id: 9_007_199_254_740_993n };
    const token = encodeCursor('org_a', cursor);
    expect(decodeCursor('org_a', token)).toEqual(cursor);
    expect(decodeCursor('org_b', token)).toBeNull();
    // The old unsigned form, however well shaped, is not a cursor any more.
    const unsigned = Buffer.from('2026-04-01T10:00:00.000Z|1').toString('base64url');
    expect(decodeCursor('org_a', unsigned)).toBeNull();
    const [, version, mac] = token.split('.');
    expect(decodeCursor('org_a', `${unsigned}.${version}.${mac}`)).toBeNull();
    expect(decodeCursor('org_a', `${token.split('.')[0]}.99.${mac}`)).toBeNull();
    expect(decodeCursor('org_a', 'bm90IGEgY3Vyc29y')).toBeNull();
    expect(() => readCursor('org_a', 'bogus')).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
  });

  it('writes filters back into a URL that parses to the same filters', () => {
    const filters = auditListQuery.parse({ from: '2026-04-01T10:00', action: 'token.refused', outcome: 'FAILURE' });
    const params = filtersToSearchParams(filters);
    expect(params.toString()).toBe('from=2026-04-01T10%3A00%3A00.000Z&action=token.refused&outcome=FAILURE');
    expect(auditListQuery.parse(Object.fromEntries(params))).toEqual(filters);
  });
});

import { describe, expect, it } from 'vitest';
import { planCatalogChange } from './catalog-change';

const live = { name: 'fleet:read', retired_at: null };
const now = new Date('2026-12-04T10:00:00Z');

describe('planCatalogChange', () => {
  it('names the change by what it does, retirement first, and audits the previous name', () => {
    expect(planCatalogChange('scope', live, { name: 'fleets:read' }, now)).toEqual({
      renaming: true,
      retiring: false,
      data: { name: 'fleets:read' },
      action: 'scope.renamed',
      details: { name: 'fleets:read', previousName: 'fleet:read' },
    });
    const both = planCatalogChange('role', live, { name: 'x', retired: true }, now);
    expect(both.action).toBe('role.retired');
    expect(both.data).toEqual({ name: 'x', retiredAt: now });
    const restored = planCatalogChange('role', { ...live, retired_at: now }, { retired: false }, now);
    expect(restored).toMatchObject({ action: 'role.restored', data: { retiredAt: null }, details: { retired: false } });
  });

  it('treats the current name or state as no change', () => {
    const same = planCatalogChange('scope', live, { name: 'fleet:read', retired: false, description: 'd' }, now);
    expect(same).toMatchObject({
      renaming: false,
      retiring: false,
      action: 'scope.updated',
      data: { description: 'd' },
    });
    expect(same.details).toEqual({ name: 'fleet:read' });
  });
});

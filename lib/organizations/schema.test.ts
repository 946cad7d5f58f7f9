import { describe, expect, it } from 'vitest';
import { createOrganizationInput, slugify } from './schema';

describe('slugify', () => {
  it('makes URL-safe slugs', () => {
    expect(slugify('Acme Fleet, Inc.')).toBe('acme-fleet-inc');
    expect(slugify('Émile Öko')).toBe('emile-oko');
  });

  it('never returns a slug shorter than two characters', () => {
    expect(slugify('!')).toBe('org-new');
    expect(slugify('a')).toBe('org-a');
  });
});

describe('createOrganizationInput', () => {
  it('rejects unknown fields and bad slugs', () => {
    expect(createOrganizationInput.safeParse({ name: 'Acme', extra: 1 }).success).toBe(false);
    expect(createOrganizationInput.safeParse({ name: 'Acme', slug: 'Bad Slug' }).success).toBe(false);
    expect(createOrganizationInput.safeParse({ name: 'Acme', slug: 'acme' }).success).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { createServiceAccountInput } from '@/lib/service-accounts/schema';
import { createProjectInput } from '@/lib/projects/schema';
import { createOrganizationInput } from '@/lib/organizations/schema';
import { createOemCredentialInput } from '@/lib/oem/schema';
import { personNameField } from '@/lib/auth/schema';
import { nameField, nameProblem, normalizeName } from './names';

const field = nameField({ required: 'Enter a name.' });
const messages = (value: unknown) => {
  const result = field.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('nameField', () => {
  it('stores names trimmed and in NFC, so a decomposed é is the same name as a composed one', () => {
    expect(field.parse('Cafe\u0301')).toBe('Caf\u00e9');
    expect(field.parse('  Caf\u00e9 ')).toBe('Caf\u00e9');
    expect(normalizeName(' Cafe\u0301')).toBe(normalizeName('Caf\u00e9'));
    // Letters of any script, emoji without joiners and ordinary spaces stay allowed.
    expect(field.parse('Fahrzeugflotte München – 東京 🚗')).toBe('Fahrzeugflotte München – 東京 🚗');
  });

  it('refuses bidi controls, zero-width characters and other format or control characters, naming them', () => {
    expect(messages('invoice\u202Etxt.exe')).toEqual([expect.stringMatching(/U\+202E.*text-direction/)]);
    expect(messages('a\u2066b')).toEqual([expect.stringMatching(/U\+2066.*text-direction/)]);
    expect(messages('pay\u200Bpal')).toEqual([expect.stringMatching(/U\+200B.*invisible formatting/)]);
    expect(messages('a\u200Db')).toEqual([expect.stringMatching(/U\+200D/)]);
    expect(messages('a\u00ADb')).toEqual([expect.stringMatching(/U\+00AD/)]);
    expect(messages('a\u0007b')).toEqual([expect.stringMatching(/U\+0007.*control character/)]);
    expect(messages('two\nlines')).toEqual([expect.stringMatching(/U\+000A/)]);
    expect(messages('a\u2028b')).toEqual([expect.stringMatching(/U\+2028/)]);
  });

  it('refuses invalid UTF-16 (lone surrogates), saying so', () => {
    for (const bad of ['x\uD800', '\uDC00x', 'a\uDBFFb'])
      expect(messages(bad)).toEqual([expect.stringMatching(/valid Unicode.*unpaired surrogate/)]);
    expect(nameProblem('\uD83D\uDE97')).toBeNull(); // a well-formed pair (🚗)
  });

  it('keeps the required and length messages', () => {
    expect(messages('   ')).toEqual(['Enter a name.']);
    const organization = createOrganizationInput.safeParse({ name: ' ' });
    expect(organization.error?.issues.map((i) => i.message)).toEqual(['Enter an organization name.']);
    expect(createOrganizationInput.safeParse({ name: 'A' }).error?.issues.map((i) => i.message)).toEqual([
      'Use at least 2 characters.',
    ]);
    // A refused character is the one message, even when the name is also too short without it.
    expect(createOrganizationInput.safeParse({ name: '\u200B' }).error?.issues).toHaveLength(1);
    expect(messages(7)).toEqual(['Enter a name.']);
    expect(messages('x'.repeat(101))).toEqual(['Use at most 100 characters.']);
    // The length is counted after normalization: 100 decomposed é are 100 characters, not 200.
    expect(field.parse('e\u0301'.repeat(100))).toHaveLength(100);
  });

  it('is the one rule of every name schema', () => {
    const bidi = 'a\u202Eb';
    expect(createServiceAccountInput.safeParse({ name: bidi, platform: 'SERVER' }).success).toBe(false);
    expect(createProjectInput.safeParse({ name: bidi }).success).toBe(false);
    expect(createOrganizationInput.safeParse({ name: bidi }).success).toBe(false);
    expect(createOemCredentialInput.safeParse({ name: bidi, client_id: 'id', client_secret: 's' }).success).toBe(false);
    expect(personNameField.safeParse(bidi).success).toBe(false);
    expect(createProjectInput.parse({ name: 'Cafe\u0301' }).name).toBe('Caf\u00e9');
  });
});

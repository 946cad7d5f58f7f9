import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startupEnvProblem } from './env-check';
import { resetEnvCache } from './env';

const original = process.env.LATCHKEY_MASTER_KEYS;
afterEach(() => {
  process.env.LATCHKEY_MASTER_KEYS = original;
  resetEnvCache();
});

describe('startupEnvProblem', () => {
  it('accepts a valid environment', () => {
    process.env.LATCHKEY_MASTER_KEYS = `2:${randomBytes(32).toString('base64')},1:${randomBytes(32).toString('base64')}`;
    expect(startupEnvProblem()).toBeNull();
  });

  it('names a missing master key and how to make one', () => {
    delete process.env.LATCHKEY_MASTER_KEYS;
    expect(startupEnvProblem()).toMatch(/LATCHKEY_MASTER_KEYS is missing.*openssl rand -base64 32/s);
  });

  it('refuses malformed keys and repeated versions', () => {
    process.env.LATCHKEY_MASTER_KEYS = '1:short';
    expect(startupEnvProblem()).toMatch(/LATCHKEY_MASTER_KEYS must look like/);
    const key = randomBytes(32).toString('base64');
    process.env.LATCHKEY_MASTER_KEYS = `1:${key},1:${key}`;
    expect(startupEnvProblem()).toMatch(/duplicate key version/);
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { auditableClientId, parseBasic } from './client-id';
import { oauthErrorResponse, toOAuthError } from './errors';
import { TokenRefusal } from './refusal';
import { resolveScopes } from './issue-token';

describe('parseBasic (RFC 6749 §2.3.1)', () => {
  it('decodes form-urlencoded id and secret; the secret may contain colons', () => {
    const header = `Basic ${Buffer.from(`${encodeURIComponent('kid_1 2')}:${encodeURIComponent('a:b+c')}`).toString('base64')}`;
    expect(parseBasic(header)).toEqual({ id: 'kid_1 2', secret: 'a:b+c' });
    expect(parseBasic(`Basic ${Buffer.from('id:s%3Ax').toString('base64')}`)).toEqual({ id: 'id', secret: 's:x' });
  });
  it('rejects malformed credentials', () => {
    expect(parseBasic('Basic !!!')).toBeNull();
    expect(parseBasic(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeNull();
    expect(parseBasic(`Basic ${Buffer.from('bad%:x').toString('base64')}`)).toBeNull();
    expect(parseBasic('Bearer abc')).toBeNull();
  });
});

describe('resolveScopes', () => {
  it('grants every held scope when none is asked for, and exactly the asked ones otherwise', () => {
    expect(resolveScopes(null, ['A', 'B'])).toEqual(['A', 'B']);
    expect(resolveScopes('  ', ['A'])).toEqual(['A']);
    expect(resolveScopes('B B', ['A', 'B'])).toEqual(['B']);
  });
  it('never widens: a scope the account lacks, or a malformed one, is invalid_scope', () => {
    expect(() => resolveScopes('A C', ['A', 'B'])).toThrow(
      expect.objectContaining({ code: 'invalid_scope', reason: 'scope_not_held' }),
    );
    expect(() => resolveScopes('A"', ['A'])).toThrow(
      expect.objectContaining({ code: 'invalid_scope', reason: 'scope_malformed' }),
    );
  });
});

describe('RFC 6749 error rendering', () => {
  it('maps domain codes to OAuth codes and statuses', () => {
    expect(toOAuthError(new TokenRefusal('invalid_grant', 'x', 'd'), 'r')).toMatchObject({
      error: 'invalid_grant',
      status: 400,
    });
    expect(toOAuthError(new AppError('validation_failed', 'd'), 'r')).toMatchObject({
      error: 'invalid_request',
      status: 400,
    });
    expect(toOAuthError(new AppError('rate_limited', 'd', { retryAfterSeconds: 7 }), 'r')).toMatchObject({
      error: 'slow_down',
      status: 429,
      retryAfter: 7,
    });
    expect(toOAuthError(new Error('boom with a secret lk_sec_x'), 'r')).toEqual({
      error: 'server_error',
      description: 'Something went wrong on our side.',
      status: 500,
    });
  });
  it('invalid_client is 401 with WWW-Authenticate; every error is no-store', async () => {
    const res = oauthErrorResponse(
      new TokenRefusal('invalid_client', 'bad_credentials', 'Client authentication failed.'),
      'req-1',
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="latchkey"/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
  });
});

describe('auditableClientId', () => {
  it('keeps key ids, drops anything that could be a secret', () => {
    expect(auditableClientId('kid_01JAAAAAAAAAAAAAAAAAAAAAAA')).toBe('kid_01JAAAAAAAAAAAAAAAAAAAAAAA');
    expect(auditableClientId('lk_sec_whatever')).toBeNull();
    expect(auditableClientId('my password')).toBeNull();
    expect(auditableClientId(null)).toBeNull();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { TokenRefusal } from './refusal';
import { oauthErrorReply, safeErrorDescription } from './errors';

afterEach(() => vi.restoreAllMocks());

describe('token service 5xx logging (issue 10 item 11)', () => {
  it('logs every 5xx with its request id and cause, and shows neither', () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const outage = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const unavailable = oauthErrorReply(
      new AppError('temporarily_unavailable', 'The token service is unavailable; retry later.', {
        cause: outage,
        retryAfterSeconds: 5,
      }),
      'req-503',
    );
    expect(unavailable.status).toBe(503);
    expect(unavailable.body).not.toContain('ECONNREFUSED');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ requestId: 'req-503', err: outage, code: 'temporarily_unavailable' }),
      'token service failed',
    );

    const bug = new TypeError('cannot read properties of undefined');
    const crashed = oauthErrorReply(bug, 'req-500');
    expect(crashed.status).toBe(500);
    expect(crashed.headers['X-Request-Id']).toBe('req-500');
    expect(crashed.body).not.toContain('undefined');
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ requestId: 'req-500', err: bug }),
      'token service failed',
    );
  });

  it('does not log refusals (4xx): the audit log has them', () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    expect(
      oauthErrorReply(new TokenRefusal('invalid_client', 'secret_mismatch', 'Client authentication failed.'), 'r')
        .status,
    ).toBe(401);
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});

describe('error_description characters (issue 9)', () => {
  const allowed = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

  it('keeps a plain description as it is', () => {
    expect(safeErrorDescription('Client authentication failed.')).toBe('Client authentication failed.');
  });

  it('replaces quotes, backslashes, control and non-ASCII characters in every rendered refusal', () => {
    const reply = oauthErrorReply(
      new TokenRefusal('invalid_request', 'x', 'The "scope" \\ parameter\nis wrong: ünïcode\u0000.'),
      'req-chars',
    );
    const body = JSON.parse(reply.body) as { error_description: string };
    expect(body.error_description).toBe("The 'scope' / parameter?is wrong: ?n?code?.");
    expect(body.error_description).toMatch(allowed);
  });
});

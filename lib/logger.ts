import pino from 'pino';
import { logLevel } from '@/lib/env';

/**
 * logger writes structured JSON lines. Paths that could carry secrets are redacted as a second
 * line of defence; the first is never to pass a secret to the logger at all.
 */
export const logger = pino({
  level: logLevel(),
  base: undefined,
  redact: {
    paths: [
      'password',
      '*.password',
      'secret',
      '*.secret',
      'clientSecret',
      '*.clientSecret',
      'authorization',
      '*.authorization',
      'token',
      '*.token',
    ],
    censor: '[redacted]',
  },
});

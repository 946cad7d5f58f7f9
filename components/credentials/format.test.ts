import { describe, expect, it } from 'vitest';
import { formatDuration } from './format';

describe('formatDuration', () => {
  it('says seconds in human units', () => {
    expect(formatDuration(3600)).toBe('1 hour');
    expect(formatDuration(5400)).toBe('1 hour 30 minutes');
    expect(formatDuration(86_400)).toBe('1 day');
    expect(formatDuration(60)).toBe('1 minute');
    expect(formatDuration(61)).toBe('1 minute 1 second');
    expect(formatDuration(7200)).toBe('2 hours');
    expect(formatDuration(0)).toBe('0 seconds');
  });
});

import { describe, expect, it } from 'vitest';
import { isLoopbackHost, webhookUrlProblem } from './url-policy';

describe('webhookUrlProblem', () => {
  it('accepts https anywhere, and http only to a loopback host when allowed', () => {
    expect(webhookUrlProblem('https://hooks.example.com/latchkey', false)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(webhookUrlProblem('http://[::1]:8080/hook', true)).toBeNull();
    expect(webhookUrlProblem('http://localhost/hook', true)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/hook', false)).toMatch(/https/);
    expect(webhookUrlProblem('http://hooks.example.com/hook', true)).toMatch(/https/);
    expect(webhookUrlProblem('http://10.0.0.1/hook', true)).toMatch(/https/);
  });

  it('refuses other schemes, relative URLs, credentials and fragments', () => {
    expect(webhookUrlProblem('ftp://example.com/x', true)).toMatch(/https/);
    expect(webhookUrlProblem('/relative', true)).toMatch(/absolute/);
    expect(webhookUrlProblem('https://user:pw@example.com/', true)).toMatch(/credentials/);
    expect(webhookUrlProblem('https://example.com/#x', true)).toMatch(/fragment/);
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
    expect(isLoopbackHost('192.168.1.1')).toBe(false);
  });
});

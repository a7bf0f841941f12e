import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { DatabaseDeadlineError, isDatabaseUnavailable } from '../../src/db/unavailable';

function coded(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'CONNECT_TIMEOUT',
    'CONNECTION_CLOSED',
    'CONNECTION_DESTROYED',
    'CONNECTION_ENDED',
    '57P01',
    '57P03',
    '57014',
    '08006',
  ])('is true for %s', (code) => {
    expect(isDatabaseUnavailable(coded(code))).toBe(true);
  });

  it('is true for its own deadline error and through drizzle’s wrapper', () => {
    expect(isDatabaseUnavailable(new DatabaseDeadlineError(2000))).toBe(true);
    expect(isDatabaseUnavailable(new DrizzleQueryError('select 1', [], coded('57P01') as Error))).toBe(true);
  });

  it.each([
    ['a unique violation', coded('23505')],
    ['a syntax error', coded('42601')],
    ['a plain error', new Error('boom')],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  describeSubject,
  InvalidInputError,
  isRetryable,
  RetryableError,
  SlbcError,
} from '../../shared/errors.js';

describe('error hierarchy', () => {
  it.each([
    ['RetryableError', new RetryableError('throttled'), true],
    ['ConflictError', new ConflictError('lease held'), true],
    ['InvalidInputError', new InvalidInputError('bad annotation'), false],
    ['SlbcError', new SlbcError('plain'), false],
    ['a foreign Error', new Error('x'), false],
  ])('%s is retryable: %s', (_name, error, retryable) => {
    expect(isRetryable(error)).toBe(retryable);
  });

  it('keeps the cause and the subject', () => {
    const cause = new Error('root');
    const error = new InvalidInputError('bad scheme', {
      cause,
      subject: { kind: 'Ingress', name: 'default/web', field: 'alb.ingress.kubernetes.io/scheme' },
    });
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(SlbcError);
    expect(error.name).toBe('InvalidInputError');
    expect(describeSubject(error.subject!)).toBe(
      'Ingress default/web field alb.ingress.kubernetes.io/scheme',
    );
    expect(error.toJSON()).toMatchObject({ name: 'InvalidInputError', retryable: false });
  });
});

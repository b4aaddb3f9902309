import { describe, expect, it } from 'vitest';
import { translateStackError } from '../../../shared/aws/elbv2-stacks-errors.js';
import { InvalidInputError, NotFoundError, RetryableError } from '../../../shared/errors.js';

const sdkError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

describe('translateStackError: which stack call failures a new pass can fix', () => {
  it.each([
    { name: 'throttled', error: sdkError('Throttling', 400), type: RetryableError },
    {
      name: 'a listener a concurrent writer created (re-read, adopt)',
      error: sdkError('DuplicateListener', 400),
      type: RetryableError,
    },
    {
      name: 'a missing certificate the input names',
      error: sdkError('CertificateNotFoundException', 400),
      type: InvalidInputError,
    },
    {
      name: 'the resource acted on is gone',
      error: sdkError('LoadBalancerNotFoundException', 400),
      type: NotFoundError,
    },
    { name: 'a bad value', error: sdkError('ValidationError', 400), type: InvalidInputError },
  ])('$name', ({ error, type }) => {
    const translated = translateStackError(error, 'CreateListener', 'port 80');
    expect(translated).toBeInstanceOf(type);
    expect(translated.message).toContain('CreateListener port 80');
  });
});

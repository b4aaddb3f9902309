import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../infra/cli/args.js';
import { CliError, describeFailure, renderFailure } from '../../../infra/cli/errors.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
const sdkError = Object.assign(new Error('Requested resource not found\n  at somewhere'), {
  name: 'ResourceNotFoundException',
  $metadata: { httpStatusCode: 400 },
});
const credentials = Object.assign(new Error('Could not load credentials from any providers'), {
  name: 'CredentialsProviderError',
});

describe('describeFailure', () => {
  it.each([
    ['a usage error', new UsageError('slbc status: bad'), 'UsageError', 2, /^slbc status: bad$/],
    [
      'a refused endpoint',
      refused,
      'EndpointUnreachable',
      1,
      /cannot reach the AWS endpoint: connect ECONNREFUSED 127\.0\.0\.1:9/,
    ],
    [
      'a refused endpoint wrapped as a cause',
      new Error('socket hang', { cause: refused }),
      'EndpointUnreachable',
      1,
      /ECONNREFUSED/,
    ],
    [
      'an SDK error',
      sdkError,
      'ResourceNotFoundException',
      1,
      /^ResourceNotFoundException: Requested resource not found$/,
    ],
    ['no credentials', credentials, 'NoCredentials', 1, /no AWS credentials: .*AWS_PROFILE or --profile/],
    ['no region', new Error('Region is missing'), 'NoRegion', 1, /no AWS region: give --region/],
    [
      'a command failure',
      new CliError('NotImplemented', 'slbc plan is not implemented yet'),
      'NotImplemented',
      1,
      /not implemented yet/,
    ],
    ['a thrown string', 'boom', 'Error', 1, /^boom$/],
  ])('%s', (_name, error, code, exitCode, message) => {
    const failure = describeFailure(error);
    expect(failure).toMatchObject({ code, exitCode });
    expect(failure.message).toMatch(message);
    expect(failure.message).not.toContain('\n');
    expect(failure).not.toHaveProperty('stack');
  });

  it('keeps the stack only with --debug', () => {
    expect(describeFailure(sdkError, { debug: true }).stack).toContain('ResourceNotFoundException');
  });
});

describe('renderFailure', () => {
  it.each([
    [{ code: 'X', message: 'went wrong', exitCode: 1 }, 'text', 'slbc: went wrong'],
    [{ code: 'UsageError', message: 'slbc plan: bad', exitCode: 2 }, 'text', 'slbc plan: bad'],
    [
      { code: 'X', message: 'went wrong', exitCode: 1 },
      'json',
      '{"error":{"code":"X","message":"went wrong"}}',
    ],
  ] as const)('%j as %s', (failure, output, line) => {
    expect(renderFailure(failure, output)).toBe(line);
  });
});

/**
 * What the user sees when a command fails: one line naming what went wrong (no stack trace
 * unless --debug), and the exit code. AWS SDK errors are named by their code; a refused or
 * unreachable endpoint says which address; a missing region or credentials says how to give them.
 */
import { UsageError } from './args.js';

export interface CliFailure {
  /** a short machine-readable code: UsageError, EndpointUnreachable, NoRegion, NoCredentials, the SDK's error name… */
  code: string;
  /** one line */
  message: string;
  exitCode: number;
  /** the stack, only when asked for (--debug) */
  stack?: string;
}

/** Raised by a command for a failure it has already explained (no stack trace wanted). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? text).trim();
}

function networkCode(error: unknown, depth = 0): { code: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && NETWORK_CODES.has(code))
    return { code, message: typeof message === 'string' ? message : code };
  if (Array.isArray(errors))
    for (const inner of errors) {
      const found = networkCode(inner, depth + 1);
      if (found) return found;
    }
  return networkCode(cause, depth + 1);
}

export function describeFailure(error: unknown, options: { debug?: boolean } = {}): CliFailure {
  const stack = options.debug && error instanceof Error && error.stack ? { stack: error.stack } : {};
  if (error instanceof UsageError) return { code: 'UsageError', message: error.message, exitCode: 2 };
  if (error instanceof CliError)
    return { code: error.code, message: firstLine(error.message), exitCode: error.exitCode, ...stack };
  const network = networkCode(error);
  if (network)
    return {
      code: 'EndpointUnreachable',
      message: `cannot reach the AWS endpoint: ${firstLine(network.message)} (check --endpoint, AWS_ENDPOINT_URL and the network)`,
      exitCode: 1,
      ...stack,
    };
  if (error instanceof Error) {
    const text = firstLine(error.message || error.name);
    if (/region is missing/i.test(text))
      return {
        code: 'NoRegion',
        message:
          'no AWS region: give --region, or set AWS_REGION (or AWS_DEFAULT_REGION, or region in the profile)',
        exitCode: 1,
        ...stack,
      };
    if (error.name === 'CredentialsProviderError' || /could not load credentials/i.test(text))
      return {
        code: 'NoCredentials',
        message: `no AWS credentials: ${text} (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile)`,
        exitCode: 1,
        ...stack,
      };
    const sdkName = (error as { $metadata?: unknown }).$metadata !== undefined ? error.name : undefined;
    const code = sdkName ?? (error.name === 'Error' ? 'Error' : error.name);
    return { code, message: code === 'Error' ? text : `${code}: ${text}`, exitCode: 1, ...stack };
  }
  return { code: 'Error', message: firstLine(String(error)), exitCode: 1 };
}

/** The line written to stderr: text, or one JSON object with --output json. */
export function renderFailure(failure: CliFailure, output: 'text' | 'json'): string {
  if (output === 'json') return JSON.stringify({ error: { code: failure.code, message: failure.message } });
  const line = failure.message.startsWith('slbc') ? failure.message : `slbc: ${failure.message}`;
  return `${line}${failure.stack ? `\n${failure.stack}` : ''}`;
}

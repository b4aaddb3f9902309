import { InvalidInputError, NotFoundError, RetryableError, SlbcError } from '../errors.js';

/**
 * SDK errors of the stack ports in slbc's terms: throttling, 5xx and the transient dependency
 * errors retryable; a missing resource NotFound; a missing value the input names (certificate,
 * SSL policy) and anything else the input's fault (permanent: recorded, retried with backoff).
 */
const RETRYABLE =
  /^(Throttling|ThrottlingException|RequestLimitExceeded|ServiceUnavailable|InternalFailure|ResourceInUse|DependencyViolation|DuplicateListener)$/;

const INPUT_NOT_FOUND = /^(CertificateNotFound|SSLPolicyNotFound|TrustStoreNotFound|SubnetNotFound)$/;

export function translateStackError(error: unknown, action: string, subject: string): SlbcError {
  if (error instanceof SlbcError) return error;
  const name = (error as { name?: string }).name ?? 'Error';
  const code = name.replace(/Exception$/, '');
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const message = `${action} ${subject}: ${code}: ${(error as Error).message ?? ''}`.trim();
  const detail = { cause: error, subject: { kind: 'Stack', name: subject } };
  // a value the request names (a certificate, an SSL policy) that does not exist is the input's
  // fault and permanent; only the resource a call acts on being gone is a NotFound (idempotent deletes)
  if (INPUT_NOT_FOUND.test(code)) return new InvalidInputError(message, detail);
  if (/NotFound$/.test(code)) return new NotFoundError(message, detail);
  // ResourceInUse: a target group still referenced while AWS catches up; the next pass re-plans.
  // DuplicateListener: the plan read our load balancer's listeners, so one on that port since is
  // a concurrent writer's (a holder whose lease expired mid-pass): the next pass re-reads and
  // adopts it. Taken as the input's fault, it settled the whole group for a backoff of minutes.
  if (RETRYABLE.test(name) || RETRYABLE.test(code) || status === undefined || status >= 500)
    return new RetryableError(message, detail);
  return new InvalidInputError(message, detail);
}

/** One SDK call with its error translated, named after the action and its subject for the logs. */
export type StackCall = <T>(action: string, subject: string, fn: () => Promise<T>) => Promise<T>;

export const stackCall: StackCall = async (action, subject, fn) => {
  try {
    return await fn();
  } catch (error) {
    throw translateStackError(error, action, subject);
  }
};

/** Deletes are idempotent: something already gone is what the delete wanted. */
export async function ignoreNotFound(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/**
 * The error hierarchy. Every failure slbc raises on purpose is one of these, so handlers can
 * decide by kind: retryable errors throw (Lambda/EventBridge retry them, then the DLQ keeps the
 * event); invalid input is recorded against the object and never retried; conflicts mean
 * another writer won a conditional write and the caller should re-read.
 */
export interface ErrorSubject {
  /** e.g. 'Ingress', 'Service', 'TargetGroup', 'AuditEvent' */
  kind: string;
  /** namespace/name, an ARN, a log event ID: whatever names the object to an operator */
  name: string;
  /** the offending field, dotted (e.g. `metadata.annotations["alb.ingress.kubernetes.io/scheme"]`) */
  field?: string;
}

export class SlbcError extends Error {
  override readonly name: string = 'SlbcError';
  readonly retryable: boolean = false;
  readonly subject: ErrorSubject | undefined;

  constructor(message: string, options: { cause?: unknown; subject?: ErrorSubject } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.subject = options.subject;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, retryable: this.retryable, subject: this.subject };
  }
}

/** A transient failure (throttling, 5xx, a network fault). Retrying the same input may succeed. */
export class RetryableError extends SlbcError {
  override readonly name: string = 'RetryableError';
  override readonly retryable: boolean = true;
}

/** A conditional write lost to a concurrent writer, or a lease held by someone else. */
export class ConflictError extends SlbcError {
  override readonly name: string = 'ConflictError';
  override readonly retryable: boolean = true;
}

/** Input that will never succeed as it is. Record it against its subject; do not retry. */
export class InvalidInputError extends SlbcError {
  override readonly name: string = 'InvalidInputError';
}

/** The thing an operation needs does not exist (a deleted target group, an unknown cluster). */
export class NotFoundError extends SlbcError {
  override readonly name: string = 'NotFoundError';
}

export function isRetryable(error: unknown): boolean {
  return error instanceof SlbcError && error.retryable;
}

/** Formats a subject as `Kind ns/name field "x"` for messages that operators read. */
export function describeSubject(subject: ErrorSubject): string {
  const field = subject.field === undefined ? '' : ` field ${subject.field}`;
  return `${subject.kind} ${subject.name}${field}`;
}

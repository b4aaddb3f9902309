import { InvalidInputError, isRetryable, RetryableError } from '../errors.js';
import type { BusEvent } from '../events/contract.js';
import type { RecordedErrors } from '../state/errors.js';
import { type DriveResult, type Lease, type QueueEntry, type WorkQueue, workQueue } from '../state/queue.js';

/**
 * The per-key controller every bus-driven function shares (external-dns's `controller/`, the
 * LBC's reconciler loop), in three steps:
 *
 *   route(event)   bad input → a recorded error, never retried
 *   for each key   bump → work queue (lease, pass until the seen gen is current); an event
 *                  already applied (a retry) bumps nothing and drives only the keys still dirty
 *   at the end     the first retryable failure is thrown, after every key had its turn,
 *                  so Lambda retries the event while the keys stay dirty for resync
 *
 * The functions differ only in what they route and what a pass does.
 */

/** Who is recording: names the function in recorded errors (`key`) and metrics. */
export interface RejectTarget {
  errors: Pick<RecordedErrors, 'record'>;
  /** the recorded error's key: the function's name */
  key: string;
  onRejected(): void;
}

/**
 * Runs `route`; an InvalidInputError it throws is recorded against its subject (or the event)
 * and becomes `rejected`. Anything else propagates.
 */
export async function routeOrReject<Routed>(
  event: BusEvent,
  target: RejectTarget,
  route: () => Promise<Routed>,
): Promise<{ routed: Routed } | { rejected: InvalidInputError }> {
  try {
    return { routed: await route() };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const cluster = (event.detail as { cluster?: unknown } | undefined)?.cluster;
    await target.errors.record({
      cluster: typeof cluster === 'string' ? cluster : 'unknown',
      kind: error.subject?.kind ?? 'Event',
      name: error.subject?.name ?? event.id,
      ...(error.subject?.field === undefined ? {} : { field: error.subject.field }),
      message: error.message,
      key: target.key,
    });
    target.onRejected();
    return { rejected: error };
  }
}

/**
 * Calls `work` for each item in order. A retryable failure is kept and the next item still has
 * its turn; `onPermanent` may absorb a permanent failure (return true), otherwise it propagates
 * at once. Returns the first retryable failure, if any, for the caller to throw.
 */
export async function eachItem<T>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
  onPermanent?: (item: T, error: unknown) => Promise<boolean>,
): Promise<unknown> {
  let retryable: unknown;
  for (const item of items) {
    try {
      await work(item);
    } catch (error) {
      if (isRetryable(error)) {
        retryable ??= error;
        continue;
      }
      if (onPermanent !== undefined && (await onPermanent(item, error))) continue;
      throw error;
    }
  }
  return retryable;
}

/** Throws `retryable` (wrapped when it is not already a RetryableError) if there is one. */
export function throwRetryable(retryable: unknown, what: string): void {
  if (retryable === undefined) return;
  throw retryable instanceof RetryableError
    ? retryable
    : new RetryableError(`${what}: a reconcile must be retried`, { cause: retryable });
}

export interface DriveKeysOptions {
  queue: WorkQueue;
  newOwner: () => string;
  leaseSeconds: number;
  /** burst settling (targets): see DriveOptions */
  settleMs?: number;
  quietMs?: number;
  /** the function's name, in the error thrown when a key must be retried */
  what: string;
  /**
   * A permanent failure of one key's pass: return true once handled (recorded), and the key
   * completes settled-with-error; false rethrows (the key stays dirty).
   */
  onPermanent?: (key: string, error: unknown) => Promise<boolean>;
  /** called after each key's drive */
  afterDrive?: (key: string, drive: DriveResult) => void;
  /**
   * The event was already applied (the mirror found it a duplicate: a Lambda retry of an event
   * whose pass failed, a second delivery): bump nothing, and drive only the keys still dirty,
   * so a retried event finishes the work its first attempt left, and a settled key costs one read.
   */
  onlyIfDirty?: boolean;
}

const NOT_DRIVEN: DriveResult = { leased: false, passes: 0, eventsCoalesced: 0 };

/** Bumps each key and works it through the queue with `pass`; see the module comment. */
export async function driveKeys(
  keys: readonly string[],
  options: DriveKeysOptions,
  pass: (key: string, lease: Lease) => Promise<void>,
): Promise<DriveResult[]> {
  const drives: DriveResult[] = [];
  const { onPermanent } = options;
  // A permanent failure handled (recorded) inside the lease lets the key complete: it settles
  // with its error instead of staying dirty, so nothing retries it hot (shared/reconcile/backoff.ts).
  const settling = async (key: string, lease: Lease) => {
    try {
      await pass(key, lease);
    } catch (error) {
      if (isRetryable(error) || onPermanent === undefined || !(await onPermanent(key, error))) throw error;
    }
  };
  const retryable = await eachItem(keys, async (key) => {
    const bumped: QueueEntry | undefined = options.onlyIfDirty
      ? await options.queue.get(key)
      : await options.queue.bump(key);
    if (bumped === undefined || bumped.gen <= bumped.doneGen) {
      drives.push({ ...NOT_DRIVEN });
      return;
    }
    const drive = await workQueue(
      options.queue,
      key,
      options.newOwner(),
      options.leaseSeconds,
      (lease) => settling(key, lease),
      {
        bumped,
        ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
        ...(options.quietMs === undefined ? {} : { quietMs: options.quietMs }),
      },
    );
    options.afterDrive?.(key, drive);
    drives.push(drive);
  });
  throwRetryable(retryable, options.what);
  return drives;
}

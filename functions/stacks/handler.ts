import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { InvalidInputError, isRetryable, RetryableError, SlbcError } from '../../shared/errors.js';
import type { BusEvent } from '../../shared/events/contract.js';
import { lambdaHandler } from '../../shared/lambda-handler.js';
import { type DriveResult, workQueue } from '../../shared/state/index.js';
import { defaultDeps, STACKS_METRICS, type StacksDeps } from './deps.js';
import { newPassContext, parseStackKey, reconcileStack, type StackPass } from './reconcile.js';
import { routeEvent } from './route.js';

/**
 * functions/stacks: Ingress, IngressClass and Service changes (ROUTES.stacks). Each event updates
 * the mirror, bumps every stack key it affects and works those keys through the queue. Bad input
 * is recorded, never retried; a retryable failure throws after every key had its turn, so Lambda
 * retries the event while the keys stay dirty for resync.
 */
export interface StacksSummary {
  keys: string[];
  drives: DriveResult[];
  passes: Record<string, StackPass>;
}

export async function processEvent(deps: StacksDeps, event: BusEvent): Promise<StacksSummary> {
  let routed: Awaited<ReturnType<typeof routeEvent>>;
  try {
    routed = await routeEvent(deps, event);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const cluster = (event.detail as { cluster?: unknown } | undefined)?.cluster;
    await deps.state.errors.record({
      cluster: typeof cluster === 'string' ? cluster : 'unknown',
      kind: error.subject?.kind ?? 'Event',
      name: error.subject?.name ?? event.id,
      ...(error.subject?.field === undefined ? {} : { field: error.subject.field }),
      message: error.message,
      key: 'stacks',
    });
    deps.metrics.addMetric(STACKS_METRICS.rejected, MetricUnit.Count, 1);
    return { keys: [], drives: [], passes: {} };
  }
  return workKeys(deps, routed.keys, routed.cause);
}

/** Works stack keys through the queue (also what resync calls for dirty or expired keys). */
export async function workKeys(
  deps: StacksDeps,
  keys: readonly string[],
  cause: Parameters<typeof reconcileStack>[2],
): Promise<StacksSummary> {
  const drives: DriveResult[] = [];
  const passes: Record<string, StackPass> = {};
  const context = newPassContext();
  let retryable: unknown;
  for (const key of keys) {
    try {
      const bumped = await deps.state.queue.bump(key);
      const drive = await workQueue(
        deps.state.queue,
        key,
        deps.newOwner(),
        deps.config.leaseSeconds,
        async (lease) => {
          passes[key] = await reconcileStack(deps, key, { ...cause, gen: lease.gen }, context);
        },
        { bumped },
      );
      drives.push(drive);
    } catch (error) {
      if (isRetryable(error)) {
        retryable ??= error;
        continue;
      }
      if (!(error instanceof SlbcError)) throw error;
      // AWS refused the input (a quota, a bad certificate): recorded on the stack, not retried
      deps.logger.error('stack cannot be applied', { key, message: error.message });
      const parsed = parseStackKey(key);
      await deps.state.errors.record({
        cluster: parsed?.cluster ?? 'unknown',
        kind: parsed?.kind === 'service' ? 'ServiceStack' : 'IngressGroup',
        name: parsed?.stackKey ?? key,
        ...(error.subject?.field === undefined ? {} : { field: error.subject.field }),
        message: error.message,
        key,
      });
    }
  }
  if (retryable !== undefined) {
    throw retryable instanceof RetryableError
      ? retryable
      : new RetryableError('stacks: a reconcile must be retried', { cause: retryable });
  }
  return { keys: [...keys], drives, passes };
}

/** The Lambda adapter; `deps` is a factory so clients are built on the first invocation. */
export function createHandler(deps: () => StacksDeps) {
  return lambdaHandler(deps, (resolved, event: BusEvent) => processEvent(resolved, event));
}

export const handler = createHandler(defaultDeps);

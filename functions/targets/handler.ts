import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { InvalidInputError, isRetryable, RetryableError } from '../../shared/errors.js';
import type { BusEvent } from '../../shared/events/contract.js';
import { lambdaHandler } from '../../shared/lambda-handler.js';
import { type DriveResult, reconcileKeys, workQueue } from '../../shared/state/index.js';
import { defaultDeps, TARGETS_METRICS, type TargetsDeps } from './deps.js';
import { reconcileBinding } from './reconcile.js';
import { routeEvent } from './route.js';

/**
 * functions/targets: Pod, Pod Status Patched, Endpoints, Node and Service changes, and the
 * internal Target Group Bound events (ROUTES.targets). Each event updates the mirror, bumps
 * the work-queue key of every binding it affects, and works those keys. Bad input is recorded,
 * never retried; a retryable failure throws after every key had its turn, so Lambda retries
 * the event while the keys stay dirty for resync.
 */
export interface TargetsSummary {
  targetGroups: string[];
  drives: DriveResult[];
}

export async function processEvent(deps: TargetsDeps, event: BusEvent): Promise<TargetsSummary> {
  let routed: Awaited<ReturnType<typeof routeEvent>>;
  try {
    routed = await routeEvent(deps, event);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const cluster = (event.detail as { cluster?: string } | undefined)?.cluster ?? 'unknown';
    await deps.state.errors.record({
      cluster,
      kind: error.subject?.kind ?? 'Event',
      name: error.subject?.name ?? event.id,
      ...(error.subject?.field === undefined ? {} : { field: error.subject.field }),
      message: error.message,
      key: 'targets',
    });
    deps.metrics.addMetric(TARGETS_METRICS.rejected, MetricUnit.Count, 1);
    return { targetGroups: [], drives: [] };
  }
  const drives: DriveResult[] = [];
  let retryable: unknown;
  for (const targetGroupArn of routed.targetGroups) {
    const key = reconcileKeys.targetGroup(targetGroupArn);
    try {
      const bumped = await deps.state.queue.bump(key);
      const owner = deps.newOwner();
      const drive = await workQueue(
        deps.state.queue,
        key,
        owner,
        deps.config.leaseSeconds,
        async (lease) => {
          await reconcileBinding(deps, targetGroupArn, routed.cause, lease);
        },
        { bumped, settleMs: deps.settleMs, quietMs: deps.quietMs },
      );
      if (drive.eventsCoalesced > 1) {
        deps.metrics.addMetric(
          TARGETS_METRICS.coalesced,
          MetricUnit.Count,
          drive.eventsCoalesced - drive.passes,
        );
      }
      drives.push(drive);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      retryable ??= error;
    }
  }
  if (retryable !== undefined) {
    throw retryable instanceof RetryableError
      ? retryable
      : new RetryableError('targets: a reconcile must be retried', { cause: retryable });
  }
  return { targetGroups: routed.targetGroups, drives };
}

/** The Lambda adapter; `deps` is a factory so clients are built on the first invocation. */
export function createHandler(deps: () => TargetsDeps) {
  return lambdaHandler(deps, (resolved, event: BusEvent) => processEvent(resolved, event));
}

export const handler = createHandler(defaultDeps);

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BusEvent } from '../../events/contract.js';
import { reconcileKeys, targetGroupOfKey } from '../../state/keys.js';
import type { DriveResult } from '../../state/queue.js';
import { driveKeys, routeOrReject } from '../driver.js';
import { reconcileBinding } from './pass.js';
import { TARGETS_METRICS, type TargetsDeps } from './ports.js';
import { routeEvent } from './route.js';

/**
 * The targets function's event: Pod, Pod Status Patched, Endpoints, Node and Service changes,
 * and the internal Target Group Bound events (ROUTES.targets). Each event updates the mirror,
 * bumps the work-queue key of every binding it affects, and works those keys (shared/reconcile/driver.ts).
 */
export interface TargetsSummary {
  targetGroups: string[];
  drives: DriveResult[];
}

export async function processEvent(deps: TargetsDeps, event: BusEvent): Promise<TargetsSummary> {
  const outcome = await routeOrReject(
    event,
    {
      errors: deps.state.errors,
      key: 'targets',
      onRejected: () => deps.metrics.addMetric(TARGETS_METRICS.rejected, MetricUnit.Count, 1),
    },
    () => routeEvent(deps, event),
  );
  if ('rejected' in outcome) return { targetGroups: [], drives: [] };
  const { targetGroups, cause, onlyIfDirty } = outcome.routed;
  const drives = await driveKeys(
    targetGroups.map(reconcileKeys.targetGroup),
    {
      queue: deps.state.queue,
      newOwner: deps.newOwner,
      leaseSeconds: deps.config.leaseSeconds,
      settleMs: deps.settleMs,
      quietMs: deps.quietMs,
      what: 'targets',
      ...(onlyIfDirty ? { onlyIfDirty } : {}),
      afterDrive: (_key, drive) => {
        if (drive.eventsCoalesced > 1)
          deps.metrics.addMetric(
            TARGETS_METRICS.coalesced,
            MetricUnit.Count,
            drive.eventsCoalesced - drive.passes,
          );
      },
    },
    async (key, lease) => {
      await reconcileBinding(deps, targetGroupOfKey(key), cause, lease);
    },
  );
  return { targetGroups, drives };
}

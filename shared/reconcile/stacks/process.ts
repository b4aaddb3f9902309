import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SlbcError } from '../../errors.js';
import type { BusEvent } from '../../events/contract.js';
import type { Cause } from '../../state/index.js';
import { parseStackKey } from '../../state/keys.js';
import type { DriveResult } from '../../state/queue.js';
import { driveKeys, routeOrReject } from '../driver.js';
import { newPassContext, reconcileStack, type StackPass } from './pass.js';
import { STACKS_METRICS, type StacksDeps } from './ports.js';
import { routeEvent } from './route.js';

/**
 * The stacks function's event: Ingress, IngressClass and Service changes (ROUTES.stacks). Each
 * event updates the mirror, bumps every stack key it affects and works those keys
 * (shared/reconcile/driver.ts). AWS refusing a stack's input is recorded on the stack.
 */
export interface StacksSummary {
  keys: string[];
  drives: DriveResult[];
  passes: Record<string, StackPass>;
}

export async function processEvent(deps: StacksDeps, event: BusEvent): Promise<StacksSummary> {
  const outcome = await routeOrReject(
    event,
    {
      errors: deps.state.errors,
      key: 'stacks',
      onRejected: () => deps.metrics.addMetric(STACKS_METRICS.rejected, MetricUnit.Count, 1),
    },
    () => routeEvent(deps, event),
  );
  if ('rejected' in outcome) return { keys: [], drives: [], passes: {} };
  return workKeys(deps, outcome.routed.keys, outcome.routed.cause);
}

/** Works stack keys through the queue (also what a Reconcile Requested asks for). */
export async function workKeys(
  deps: StacksDeps,
  keys: readonly string[],
  cause: Cause,
): Promise<StacksSummary> {
  const passes: Record<string, StackPass> = {};
  const context = newPassContext();
  const drives = await driveKeys(
    keys,
    {
      queue: deps.state.queue,
      newOwner: deps.newOwner,
      leaseSeconds: deps.config.leaseSeconds,
      what: 'stacks',
      onPermanent: async (key, error) => {
        if (!(error instanceof SlbcError)) return false;
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
        return true;
      },
    },
    async (key, lease) => {
      passes[key] = await reconcileStack(deps, key, { ...cause, gen: lease.gen }, context);
    },
  );
  return { keys: [...keys], drives, passes };
}

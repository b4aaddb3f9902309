import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SlbcError } from '../../errors.js';
import type { BusEvent } from '../../events/contract.js';
import type { Cause } from '../../state/index.js';
import { parseStackKey } from '../../state/keys.js';
import type { DriveResult } from '../../state/queue.js';
import { nextRetry } from '../backoff.js';
import { driveKeys, routeOrReject } from '../driver.js';
import { reportDeployFailure } from './kube-events.js';
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
  return workKeys(deps, outcome.routed.keys, outcome.routed.cause, outcome.routed.onlyIfDirty === true);
}

/** Metric: a stack pass AWS refused, recorded and settled (docs/stacks.md). */
export const SETTLED_WITH_ERROR_METRIC = 'StacksSettledWithError';

/**
 * AWS refused the input (a quota, a missing certificate): the error is recorded against the
 * member that carries the refused value (or the stack), and the key settles with it; resync
 * asks for it again after a capped backoff (shared/reconcile/backoff.ts), never hot.
 */
async function settleWithError(deps: StacksDeps, key: string, error: unknown): Promise<boolean> {
  if (!(error instanceof SlbcError)) return false;
  const parsed = parseStackKey(key);
  const cluster = parsed?.cluster ?? 'unknown';
  const member = error.subject?.kind === 'Ingress' || error.subject?.kind === 'Service';
  const [namespace, name] = member ? splitName(error.subject?.name ?? '') : [undefined, ''];
  const ref = member
    ? {
        cluster,
        kind: error.subject?.kind ?? '',
        ...(namespace === undefined ? {} : { namespace }),
        name,
        key,
      }
    : {
        cluster,
        kind: parsed?.kind === 'service' ? 'ServiceStack' : 'IngressGroup',
        name: parsed?.stackKey ?? key,
        key,
      };
  const previous = (await deps.state.errors.listForKey(cluster, key)).find(
    (recorded) =>
      recorded.kind === ref.kind && recorded.name === ref.name && recorded.namespace === ref.namespace,
  );
  const retry = nextRetry(previous?.attempts, deps.now());
  // `message` is a reserved Powertools key (dropped from the entry): the reason goes as `error`
  deps.logger.error('stack cannot be applied; settled with its error', {
    key,
    error: error.message,
    ...retry,
  });
  deps.metrics.addMetric(SETTLED_WITH_ERROR_METRIC, MetricUnit.Count, 1);
  await deps.state.errors.record({
    ...ref,
    ...(error.subject?.field === undefined ? {} : { field: error.subject.field }),
    message: error.message,
    ...retry,
  });
  await reportDeployFailure(deps, parsed, key, error.message);
  return true;
}

function splitName(namespaced: string): [string | undefined, string] {
  const slash = namespaced.indexOf('/');
  return slash < 0 ? [undefined, namespaced] : [namespaced.slice(0, slash), namespaced.slice(slash + 1)];
}

/** Works stack keys through the queue (also what a Reconcile Requested asks for). */
export async function workKeys(
  deps: StacksDeps,
  keys: readonly string[],
  cause: Cause,
  onlyIfDirty = false,
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
      onlyIfDirty,
      onPermanent: (key, error) => settleWithError(deps, key, error),
    },
    async (key, lease) => {
      passes[key] = await reconcileStack(deps, key, { ...cause, gen: lease.gen }, context);
    },
  );
  return { keys: [...keys], drives, passes };
}

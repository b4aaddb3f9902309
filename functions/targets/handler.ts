import type { BusEvent } from '../../shared/events/contract.js';
import { lambdaHandler } from '../../shared/lambda-handler.js';
import type { TargetsDeps } from '../../shared/reconcile/targets/ports.js';
import { processEvent } from '../../shared/reconcile/targets/process.js';
import { defaultDeps } from './deps.js';

/**
 * functions/targets: the Lambda adapter over shared/reconcile/targets. `deps` is a factory so
 * clients are built on the first invocation.
 */
export function createHandler(deps: () => TargetsDeps) {
  return lambdaHandler(deps, (resolved, event: BusEvent) => processEvent(resolved, event));
}

export const handler = createHandler(defaultDeps);

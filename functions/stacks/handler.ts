import type { BusEvent } from '../../shared/events/contract.js';
import { lambdaHandler } from '../../shared/lambda-handler.js';
import type { StacksDeps } from '../../shared/reconcile/stacks/ports.js';
import { processEvent } from '../../shared/reconcile/stacks/process.js';
import { defaultDeps } from './deps.js';

/**
 * functions/stacks: the Lambda adapter over shared/reconcile/stacks. `deps` is a factory so
 * clients are built on the first invocation.
 */
export function createHandler(deps: () => StacksDeps) {
  return lambdaHandler(deps, (resolved, event: BusEvent) => processEvent(resolved, event));
}

export const handler = createHandler(defaultDeps);

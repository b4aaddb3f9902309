import type { SQSEvent } from 'aws-lambda';
import type { BusEvent } from '../../shared/events/contract.js';
import { lambdaHandler } from '../../shared/lambda-handler.js';
import type { TargetsDeps } from '../../shared/reconcile/targets/ports.js';
import { handleTargetsInput } from '../../shared/reconcile/targets/recheck.js';
import { defaultDeps } from './deps.js';

/**
 * functions/targets: the Lambda adapter over shared/reconcile/targets. `deps` is a factory so
 * clients are built on the first invocation.
 */
export function createHandler(deps: () => TargetsDeps) {
  // bus events, and batches from the re-check queue (answered with batchItemFailures)
  return lambdaHandler(deps, (resolved, event: BusEvent | SQSEvent) => handleTargetsInput(resolved, event));
}

export const handler = createHandler(defaultDeps);

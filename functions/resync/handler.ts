import { lambdaHandler } from '../../shared/lambda-handler.js';
import { handleResyncEvent } from '../../shared/reconcile/resync/pass.js';
import type { ResyncDeps } from '../../shared/reconcile/resync/ports.js';
import { defaultDeps } from './deps.js';

/**
 * functions/resync: the Lambda adapter over shared/reconcile/resync, on its schedule or invoked
 * by hand with `{"clusters": ["demo"]}`.
 */

/** `deps` is a factory so clients are built on the first invocation, not at import. */
export function createHandler(deps: () => ResyncDeps) {
  return lambdaHandler(deps, (resolved, event: unknown) => handleResyncEvent(resolved, event));
}

export const handler = createHandler(defaultDeps);

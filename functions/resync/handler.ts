import { lambdaHandler } from '../../shared/lambda-handler.js';
import { runResync } from '../../shared/reconcile/resync/pass.js';
import type { ResyncDeps } from '../../shared/reconcile/resync/ports.js';
import { clustersToResync } from '../../shared/reconcile/resync/route.js';
import { defaultDeps } from './deps.js';

/**
 * functions/resync: the Lambda adapter over shared/reconcile/resync, on its schedule or invoked
 * by hand with `{"clusters": ["demo"]}`.
 */

/** `deps` is a factory so clients are built on the first invocation, not at import. */
export function createHandler(deps: () => ResyncDeps) {
  return lambdaHandler(deps, (resolved, event: unknown) =>
    runResync(resolved, clustersToResync(event, resolved.config.clusters)),
  );
}

export const handler = createHandler(defaultDeps);

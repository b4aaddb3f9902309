import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { InvalidInputError } from '../../shared/errors.js';
import { logger as sharedLogger, metrics as sharedMetrics } from '../../shared/observability.js';
import * as z from '../../shared/zod.js';
import { defaultDeps, type ResyncDeps } from './deps.js';
import { type ResyncReport, runResync } from './resync.js';

/**
 * functions/resync: on its schedule, or invoked by hand with `{"clusters": ["demo"]}`, lists
 * every served cluster from the Kubernetes API and heals what the best-effort audit log lost.
 * A scheduled event's body is ignored; a hand-made request is validated.
 */
const OnDemandSchema = z.object({
  clusters: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});

export function clustersToResync(event: unknown, served: readonly string[]): readonly string[] {
  if (event === null || typeof event !== 'object' || !('clusters' in event)) return served;
  const parsed = OnDemandSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidInputError(`resync request: field clusters: ${parsed.error.issues[0]?.message}`, {
      subject: { kind: 'ResyncRequest', name: 'event', field: 'clusters' },
    });
  }
  const unknown = parsed.data.clusters.filter((cluster) => !served.includes(cluster));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `resync request: field clusters names clusters not served here: ${unknown.join(', ')}`,
      {
        subject: { kind: 'ResyncRequest', name: 'event', field: 'clusters' },
      },
    );
  }
  return parsed.data.clusters;
}

/** `deps` is a factory so clients are built on the first invocation, not at import. */
export function createHandler(deps: () => ResyncDeps) {
  let resolved: ResyncDeps | undefined;
  return middy<unknown, ResyncReport>()
    .use(injectLambdaContext(sharedLogger))
    .use(logMetrics(sharedMetrics))
    .handler(async (event) => {
      resolved ??= deps();
      return runResync(resolved, clustersToResync(event, resolved.config.clusters));
    });
}

export const handler = createHandler(defaultDeps);

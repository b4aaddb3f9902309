import { InvalidInputError } from '../../shared/errors.js';
import { lambdaHandler } from '../../shared/lambda-handler.js';
import * as z from '../../shared/zod.js';
import { defaultDeps, type ResyncDeps } from './deps.js';
import { runResync } from './resync.js';

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
  return lambdaHandler(deps, (resolved, event: unknown) =>
    runResync(resolved, clustersToResync(event, resolved.config.clusters)),
  );
}

export const handler = createHandler(defaultDeps);

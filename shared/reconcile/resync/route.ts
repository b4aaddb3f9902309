import { InvalidInputError } from '../../errors.js';
import * as z from '../../zod.js';

/**
 * Which clusters a resync invocation covers: on its schedule every served cluster (a scheduled
 * event's body is ignored); invoked by hand with `{"clusters": ["demo"]}`, those, validated.
 */
const OnDemandSchema = z.object({
  clusters: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});

export function clustersToResync(event: unknown, served: readonly string[]): readonly string[] {
  if (isScheduledResync(event)) return served;
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

/**
 * The schedule's run (any event that names no clusters) holds first sightings back
 * (plan/resync.ts); a run asked for by hand sends every difference at once.
 */
export function isScheduledResync(event: unknown): boolean {
  return event === null || typeof event !== 'object' || !('clusters' in event);
}

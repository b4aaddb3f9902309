import type { BusEvent, ClusterChangeDetail } from '../events/contract.js';
import type { Mirror } from '../state/mirror.js';
import { type Fetched, fetchChange, type ObjectFetcher } from './stacks/fetch.js';

/**
 * What the mirror should take from a change, so that lost state rebuilds without churn. An event
 * is history: after the table was lost (or for an event replayed from the archive, or delivered
 * long after it happened) it can describe an object that no longer exists, or an old version of
 * one. The mirror's own ordering (resourceVersion, tombstones) protects an object it holds; one it
 * has no live record of is checked against the Kubernetes API first: the live object is mirrored
 * instead of the event's, and an object that is gone becomes a tombstone, never a create.
 *
 *   needsResync                       → fetched (the event has no object)
 *   replayed or late, mirror not live → fetched (the API decides what exists)
 *   anything else                     → the event as it is (`skip`)
 */

/** An event observed longer ago than this is out of date (the audit log is minutes late, not this). */
export const OUT_OF_DATE_MS = 15 * 60_000;

export interface CurrentChangePorts {
  state: { mirror: Pick<Mirror, 'lookup'> };
  fetchObject?: ObjectFetcher;
  now: () => number;
}

export async function currentChange(
  ports: CurrentChangePorts,
  event: Pick<BusEvent, 'replay-name'>,
  detail: ClusterChangeDetail,
): Promise<Fetched> {
  if (detail.needsResync === true) return fetchChange(ports.fetchObject, detail);
  if (!(await mustVerify(ports, event, detail))) return { skip: true };
  const fetched = await fetchChange(ports.fetchObject, { ...detail, needsResync: true });
  if (!('failed' in fetched) || fetched.failed.field !== 'needsResync') return fetched;
  const what = `${detail.kind} ${detail.namespace === undefined ? '' : `${detail.namespace}/`}${detail.name}`;
  return {
    failed: {
      field: 'resourceVersion',
      message: `${what}: a replayed or late change the mirror has no live record of could not be checked against the Kubernetes API (${fetched.failed.message}); left to resync`,
    },
  };
}

async function mustVerify(
  ports: CurrentChangePorts,
  event: Pick<BusEvent, 'replay-name'>,
  detail: ClusterChangeDetail,
): Promise<boolean> {
  if (ports.fetchObject === undefined) return false;
  // resync's changes come from a list of the API; a status patch has no object to check
  if (detail.auditId.startsWith('resync-') || detail.patch !== undefined) return false;
  if (detail.verb === 'deletecollection' || detail.name === '') return false;
  const replayed = event['replay-name'] !== undefined;
  const late = ports.now() - Date.parse(detail.observedAt) > OUT_OF_DATE_MS;
  if (!replayed && !late) return false;
  const known = await ports.state.mirror.lookup(detail.cluster, detail.kind, detail.namespace, detail.name);
  if (known.state === 'present') return false;
  // a delete of what the mirror already tombstoned changes nothing
  return !(known.state === 'deleted' && detail.verb === 'delete');
}

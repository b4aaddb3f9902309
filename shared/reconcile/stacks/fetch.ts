import type { ClusterChangeDetail } from '../../events/contract.js';
import type { Kind } from '../../k8s/objects.js';
import type { RecordedErrors } from '../../state/errors.js';

/**
 * A change ingest sent without the object (`needsResync`: over the bus's event budget, or
 * logged without its body) is fetched from the Kubernetes API by the consumer, so it is built
 * like any other change instead of waiting for a resync that would skip it again. When the
 * fetch fails, or the object is too large for the mirror, the error is recorded against the
 * object: never a silent "converged" with nothing.
 */
export type ObjectFetcher = (
  cluster: string,
  kind: Kind,
  namespace: string | undefined,
  name: string,
) => Promise<Record<string, unknown> | undefined>;

/** DynamoDB's item limit is 400 KB; the mirror keeps an object in one item, with room for its keys. */
export const MIRROR_OBJECT_BUDGET_BYTES = 380 * 1024;

export type Fetched =
  | { detail: ClusterChangeDetail }
  | { failed: { field: string; message: string } }
  | { skip: true };

/** What the fetch says about a needsResync change: the change with its object, a delete, or a failure. */
export async function fetchChange(
  fetchObject: ObjectFetcher | undefined,
  detail: ClusterChangeDetail,
): Promise<Fetched> {
  if (detail.needsResync !== true || detail.verb === 'deletecollection' || detail.name === '')
    return { skip: true };
  const what = `${detail.kind} ${detail.namespace === undefined ? '' : `${detail.namespace}/`}${detail.name}`;
  if (fetchObject === undefined)
    return {
      failed: {
        field: 'needsResync',
        message: `${what} came without its object and no Kubernetes API is wired to fetch it; left to resync`,
      },
    };
  let object: Record<string, unknown> | undefined;
  try {
    object = await fetchObject(detail.cluster, detail.kind, detail.namespace, detail.name);
  } catch (error) {
    return {
      failed: {
        field: 'needsResync',
        message: `${what} came without its object and fetching it failed: ${(error as Error).message}; left to resync`,
      },
    };
  }
  if (object === undefined) return { detail: { ...detail, verb: 'delete', needsResync: false } };
  const bytes = Buffer.byteLength(JSON.stringify(object));
  if (bytes > MIRROR_OBJECT_BUDGET_BYTES) {
    const annotations =
      (object['metadata'] as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
    // kubectl's last-applied copy repeats the others: name the annotation the user wrote
    const [largest] = Object.entries(annotations)
      .filter(([key]) => key !== 'kubectl.kubernetes.io/last-applied-configuration')
      .sort(([, a], [, b]) => b.length - a.length);
    const field = largest === undefined ? 'metadata' : `metadata.annotations["${largest[0]}"]`;
    return {
      failed: {
        field,
        message: `${what} is ${bytes} bytes, over slbc's ${MIRROR_OBJECT_BUDGET_BYTES}-byte object limit (one DynamoDB item)${largest === undefined ? '' : `; its largest annotation ${largest[0]} is ${Buffer.byteLength(largest[1])} bytes`}`,
      },
    };
  }
  const { needsResync: _needsResync, ...rest } = detail;
  return { detail: { ...rest, verb: detail.verb === 'delete' ? 'update' : detail.verb, object } };
}

/** Records a failed fetch against the object (the recording function's errors: key `stacks` or `targets`). */
export async function recordFetchFailure(
  errors: Pick<RecordedErrors, 'record'>,
  detail: ClusterChangeDetail,
  failed: { field: string; message: string },
  key: 'stacks' | 'targets' = 'stacks',
): Promise<void> {
  await errors.record({
    cluster: detail.cluster,
    kind: detail.kind,
    ...(detail.namespace === undefined ? {} : { namespace: detail.namespace }),
    name: detail.name,
    field: failed.field,
    message: failed.message,
    key,
  });
}

/** A fetch that works again clears the error an earlier failed one recorded against the object. */
export async function clearFetchFailure(
  errors: Pick<RecordedErrors, 'clear'>,
  detail: ClusterChangeDetail,
  key: 'stacks' | 'targets' = 'stacks',
): Promise<void> {
  await errors.clear({
    cluster: detail.cluster,
    kind: detail.kind,
    ...(detail.namespace === undefined ? {} : { namespace: detail.namespace }),
    name: detail.name,
    key,
  });
}

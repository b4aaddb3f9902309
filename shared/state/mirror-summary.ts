import { OVER_CAPACITY_ANNOTATION, type Service } from '../k8s/objects.js';
import { keys } from './keys.js';
import { type Item, isExpired, type Store } from './store.js';

/**
 * Small attributes kept beside a mirrored object's document, for the questions asked on every
 * pod event: which of the namespace's Services select this pod, and does a Service's Endpoints
 * list its pods (not over capacity). Reading them with a ProjectionExpression leaves out the
 * documents (a 100-address Endpoints, a hundred Services), which are most of the bytes the
 * SDK would decode; DynamoDB still bills the whole item.
 *
 * An item written before these attributes existed has none: it is then read whole.
 */

/** A Service item's selector summary: JSON, `null` for a Service without a selector. */
export const SELECTOR = 'sel';
const OVER_CAPACITY = 'ovc';

/** The summary attributes of a live object of `kind`, stored with its document. */
export function summaryAttributes(kind: string, object: unknown): Item {
  if (kind === 'Service') {
    const selector = (object as Service).spec?.selector;
    return { [SELECTOR]: JSON.stringify(selector ?? null) };
  }
  if (kind === 'Endpoints') {
    const annotations = (object as { metadata?: { annotations?: Record<string, string> } }).metadata
      ?.annotations;
    return { [OVER_CAPACITY]: annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined };
  }
  return {};
}

export interface ServiceSelector {
  name: string;
  /** null: a Service without a selector */
  selector: Record<string, string> | null;
}

type ReadWhole = (name: string) => Promise<Service | undefined>;

/** A Service item's stored selector; undefined for an item written before the summaries. */
export function storedSelector(item: Item): Record<string, string> | null | undefined {
  const stored = item[SELECTOR];
  return typeof stored === 'string' ? (JSON.parse(stored) as Record<string, string> | null) : undefined;
}

/** The selectors of the namespace's mirrored Services, in one Query that skips their documents. */
export async function serviceSelectors(
  store: Store,
  cluster: string,
  namespace: string,
  now: number,
  readWhole: ReadWhole,
): Promise<ServiceSelector[]> {
  const items = await store.query(keys.objectPartition(cluster, 'Service'), {
    skPrefix: `${namespace}/`,
    attributes: ['sk', 'deleted', 'expiresAt', SELECTOR],
  });
  const out: ServiceSelector[] = [];
  for (const item of items) {
    if (item['deleted'] === true || isExpired(item, now)) continue;
    const name = String(item['sk']).slice(namespace.length + 1);
    const stored = storedSelector(item);
    if (stored !== undefined) {
      out.push({ name, selector: stored });
      continue;
    }
    const service = await readWhole(name);
    if (service !== undefined) out.push({ name, selector: service.spec.selector ?? null });
  }
  return out;
}

/**
 * Whether the Endpoints `namespace/name` is mirrored and lists its pods (not over capacity):
 * `absent` when not mirrored (or deleted), without reading its document.
 */
export async function endpointsCapacity(
  store: Store,
  cluster: string,
  namespace: string,
  name: string,
  now: number,
  readWhole: () => Promise<{ metadata: { annotations?: Record<string, string> } } | undefined>,
): Promise<'listed' | 'over-capacity' | 'absent'> {
  const item = await store.get(keys.object(cluster, 'Endpoints', namespace, name), {
    attributes: ['deleted', 'expiresAt', OVER_CAPACITY],
  });
  if (item === undefined || item['deleted'] === true || isExpired(item, now)) return 'absent';
  const overCapacity = item[OVER_CAPACITY];
  if (typeof overCapacity === 'boolean') return overCapacity ? 'over-capacity' : 'listed';
  const endpoints = await readWhole();
  if (endpoints === undefined) return 'absent';
  return endpoints.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === undefined
    ? 'listed'
    : 'over-capacity';
}

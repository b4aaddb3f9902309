import { type Endpoints, OVER_CAPACITY_ANNOTATION, type Pod } from '../../k8s/objects.js';
import type { Known, Mirror } from '../../state/mirror.js';

/**
 * The pods an ip pass reads. When the Endpoints object decides the targets, only the pods it
 * names matter (for termination, readiness gates and named ports), so they are read by key in
 * BatchGetItem calls: a pass costs the Service's pods, not a Query of every pod in the
 * namespace. When the selector decides (Endpoints over capacity or not mirrored), the
 * namespace's pods are listed, as the selector may pick any of them.
 */
export async function podsForPass(
  mirror: Pick<Mirror, 'getObjects' | 'listObjects'>,
  cluster: string,
  namespace: string,
  endpoints: Known<Endpoints>,
): Promise<Pod[]> {
  const names = endpointsPodNames(endpoints);
  return names === undefined
    ? mirror.listObjects(cluster, 'Pod', namespace)
    : mirror.getObjects(cluster, 'Pod', namespace, names);
}

/**
 * The pod names an authoritative Endpoints object refers to (ready and not-ready addresses of
 * kind Pod, looked up in the Endpoints' namespace as the model does), or undefined when the Endpoints does not decide the targets.
 */
export function endpointsPodNames(endpoints: Known<Endpoints>): string[] | undefined {
  if (endpoints.state === 'deleted') return [];
  if (endpoints.state !== 'present') return undefined;
  const object = endpoints.object;
  if (object.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined) return undefined;
  const names = new Set<string>();
  for (const subset of object.subsets ?? []) {
    for (const address of [...(subset.addresses ?? []), ...(subset.notReadyAddresses ?? [])]) {
      const ref = address.targetRef;
      if (ref?.name === undefined || (ref.kind !== undefined && ref.kind !== 'Pod')) continue;
      names.add(ref.name);
    }
  }
  return [...names].sort();
}

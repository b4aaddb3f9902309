import type { Ingress, IngressClass } from '../../k8s/objects.js';
import type { KubeApi } from '../../kube/kube-api.js';
import {
  type ClassParamsContext,
  type IngressClassParams,
  referencedParams,
} from '../../model/ingress/class-params.js';
import { groupIdString, groupOf, type IngressGroupId } from '../../model/ingress/group.js';

/**
 * IngressClassParams and namespace labels through each cluster's Kubernetes API, read only for a
 * group whose Ingresses' classes reference params (docs/model.md). They are not mirrored: a
 * change to the params or to a namespace's labels takes effect at the group's next pass.
 */
export interface ClassParamsSource {
  /** undefined: it does not exist */
  params(cluster: string, name: string): Promise<IngressClassParams | undefined>;
  /** undefined: the namespace does not exist */
  namespaceLabels(cluster: string, namespace: string): Promise<Record<string, string> | undefined>;
}

export function kubeClassParamsSource(
  apiFor: (cluster: string) => Promise<Pick<KubeApi, 'getClusterObject'>>,
): ClassParamsSource {
  const read = async (cluster: string, kind: 'IngressClassParams' | 'Namespace', name: string) => {
    const api = await apiFor(cluster);
    if (!api.getClusterObject) throw new Error(`this Kubernetes API client cannot read ${kind}`);
    return api.getClusterObject(kind, name);
  };
  return {
    async params(cluster, name) {
      return (await read(cluster, 'IngressClassParams', name)) as IngressClassParams | undefined;
    },
    async namespaceLabels(cluster, namespace) {
      const object = (await read(cluster, 'Namespace', namespace)) as
        | { metadata?: { labels?: Record<string, string> } }
        | undefined;
      return object === undefined ? undefined : (object.metadata?.labels ?? {});
    },
  };
}

/**
 * What the group's Ingresses need: the params their classes reference and their namespaces'
 * labels. Undefined when no class references params (or no source is wired: a class with params
 * then refuses its Ingresses).
 */
export async function readClassParams(
  source: ClassParamsSource | undefined,
  cluster: string,
  id: IngressGroupId,
  ingresses: readonly Ingress[],
  classes: readonly IngressClass[],
): Promise<ClassParamsContext | undefined> {
  if (source === undefined) return undefined;
  const key = groupIdString(id);
  const inGroup = ingresses.filter((ingress) => {
    const group = groupOf(ingress);
    return 'id' in group && groupIdString(group.id) === key;
  });
  const classNames = new Set(inGroup.map((ingress) => ingress.spec?.ingressClassName));
  const names = referencedParams(
    classes.filter((ingressClass) => classNames.has(ingressClass.metadata.name)),
  );
  if (names.length === 0) return undefined;
  const namespaces = [...new Set(inGroup.map((ingress) => ingress.metadata.namespace ?? ''))];
  const params = new Map<string, IngressClassParams | null>();
  const namespaceLabels = new Map<string, Record<string, string> | null>();
  // a failed read fails the pass (retried, and recorded if it persists, e.g. RBAC not granted):
  // deciding without the params could build what they forbid
  await Promise.all([
    ...names.map(async (name) => params.set(name, (await source.params(cluster, name)) ?? null)),
    ...namespaces.map(async (namespace) =>
      namespaceLabels.set(namespace, (await source.namespaceLabels(cluster, namespace)) ?? null),
    ),
  ]);
  return { params, namespaceLabels };
}

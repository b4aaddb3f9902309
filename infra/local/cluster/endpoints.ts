/**
 * The Endpoints controller (and its EndpointSlice sibling) for Services with a selector: ready
 * pods go to `addresses`, running but unready ones to `notReadyAddresses`, terminating pods
 * leave; named targetPorts are resolved per pod, and pods that resolve to the same ports share
 * a subset, addresses sorted by IP. Past 1000 addresses the object is truncated to 1000 and
 * annotated `endpoints.kubernetes.io/over-capacity: truncated`, as upstream does. Writes happen
 * only when the content changed, so an idle cluster writes nothing.
 */
import { controllerActor } from './audit/actors.js';
import type { SimContext } from './context.js';
import {
  clone,
  type EndpointAddress,
  type EndpointSubset,
  type Endpoints,
  formatTime,
  isPodReady,
  isTerminating,
  type KubeObject,
  matchesSelector,
  type Pod,
  type Service,
  type ServicePort,
} from './objects.js';
import type { ObjectStore } from './store.js';

export const MAX_ENDPOINT_ADDRESSES = 1000;
const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

/** The container port a Service port sends to on `pod`, or undefined when a named port is missing. */
export function resolveTargetPort(port: ServicePort, pod: Pod): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const container of pod.spec.containers)
    for (const p of container.ports ?? [])
      if (p.name === target && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) return p.containerPort;
  return undefined;
}

function address(pod: Pod): EndpointAddress {
  const a: EndpointAddress = {
    ip: pod.status.podIP as string,
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata.namespace as string,
      name: pod.metadata.name,
      uid: pod.metadata.uid as string,
    },
  };
  if (pod.spec.nodeName) a.nodeName = pod.spec.nodeName;
  return { ip: a.ip, ...(a.nodeName ? { nodeName: a.nodeName } : {}), targetRef: a.targetRef };
}

/** Subsets for `service` over `pods`, and whether they had to be truncated. */
export function computeSubsets(
  service: Service,
  pods: readonly Pod[],
): { subsets: EndpointSubset[]; truncated: boolean } {
  const groups = new Map<string, EndpointSubset>();
  for (const pod of pods) {
    if (isTerminating(pod) || !pod.status.podIP) continue;
    const ports = (service.spec.ports ?? []).flatMap((port) => {
      const resolved = resolveTargetPort(port, pod);
      if (resolved === undefined) return [];
      return [
        { ...(port.name ? { name: port.name } : {}), port: resolved, protocol: port.protocol ?? 'TCP' },
      ];
    });
    if (ports.length === 0 && (service.spec.ports ?? []).length > 0) continue;
    const key = JSON.stringify(ports);
    let subset = groups.get(key);
    if (!subset) {
      subset = { ports };
      groups.set(key, subset);
    }
    const list = isPodReady(pod) ? 'addresses' : 'notReadyAddresses';
    subset[list] = [...(subset[list] ?? []), address(pod)];
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) => (ipValue(a.ip) < ipValue(b.ip) ? -1 : 1);
  const subsets = [...groups.values()].map((s) => ({
    ...(s.addresses ? { addresses: s.addresses.sort(byIp) } : {}),
    ...(s.notReadyAddresses ? { notReadyAddresses: s.notReadyAddresses.sort(byIp) } : {}),
    ports: s.ports ?? [],
  }));
  return truncate(subsets);
}

function ipValue(ip: string): number {
  return ip.split('.').reduce((v, o) => v * 256 + Number(o), 0);
}

/** Keeps 1000 addresses, ready ones first, spread over subsets in proportion (upstream's rule). */
function truncate(subsets: EndpointSubset[]): { subsets: EndpointSubset[]; truncated: boolean } {
  const count = (s: EndpointSubset) => (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  const total = subsets.reduce((n, s) => n + count(s), 0);
  if (total <= MAX_ENDPOINT_ADDRESSES) return { subsets, truncated: false };
  let remaining = MAX_ENDPOINT_ADDRESSES;
  const out = subsets.map((subset, i) => {
    const share =
      i === subsets.length - 1 ? remaining : Math.floor((count(subset) / total) * MAX_ENDPOINT_ADDRESSES);
    const keep = Math.min(share, remaining, count(subset));
    remaining -= keep;
    const ready = subset.addresses?.slice(0, keep) ?? [];
    const notReady = subset.notReadyAddresses?.slice(0, keep - ready.length) ?? [];
    return {
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ports: subset.ports ?? [],
    };
  });
  return { subsets: out, truncated: true };
}

export class EndpointsController {
  constructor(private readonly ctx: SimContext) {}

  /** One pass over every Service; true when it wrote anything. */
  sync(): boolean {
    let wrote = false;
    const services = this.ctx.store.list<Service>('Service');
    const wanted = new Set<string>();
    const podsByLabel = new PodsByLabel(this.ctx.store);
    for (const service of services) {
      const selector = service.spec.selector;
      if (!selector || Object.keys(selector).length === 0 || service.spec.type === 'ExternalName') continue;
      const key = `${service.metadata.namespace}/${service.metadata.name}`;
      wanted.add(key);
      const pods = podsByLabel.selected(service.metadata.namespace ?? '', selector);
      wrote = this.syncEndpoints(service, pods) || wrote;
      wrote = this.syncSlice(service, pods) || wrote;
    }
    for (const endpoints of this.ctx.store.list<Endpoints>('Endpoints'))
      if (!wanted.has(`${endpoints.metadata.namespace}/${endpoints.metadata.name}`)) {
        this.ctx.api.delete(controllerActor(this.ctx.actors, 'endpoint-controller'), endpoints, {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
        });
        wrote = true;
      }
    for (const slice of this.ctx.store.list<KubeObject>('EndpointSlice')) {
      const owner = slice.metadata.labels?.['kubernetes.io/service-name'];
      if (!wanted.has(`${slice.metadata.namespace}/${owner}`)) {
        this.ctx.api.delete(controllerActor(this.ctx.actors, 'endpointslice-controller'), slice, {
          kind: 'DeleteOptions',
          apiVersion: 'v1',
        });
        wrote = true;
      }
    }
    return wrote;
  }

  private syncEndpoints(service: Service, pods: Pod[]): boolean {
    const actor = controllerActor(this.ctx.actors, 'endpoint-controller');
    const { subsets, truncated } = computeSubsets(service, pods);
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    const current = this.ctx.store.get<Endpoints>('Endpoints', key);
    const annotations: Record<string, string> = {};
    if (truncated) annotations[OVER_CAPACITY] = 'truncated';
    const currentAnnotations = { ...current?.metadata.annotations };
    delete currentAnnotations[TRIGGER_TIME];
    if (
      current &&
      JSON.stringify(current.subsets ?? []) === JSON.stringify(subsets) &&
      JSON.stringify(currentAnnotations) === JSON.stringify(annotations)
    )
      return false;
    annotations[TRIGGER_TIME] = formatTime(this.ctx.clock.now());
    const next: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: service.metadata.name,
        namespace: service.metadata.namespace as string,
        ...(service.metadata.labels ? { labels: { ...service.metadata.labels } } : {}),
        annotations,
      },
      ...(subsets.length > 0 ? { subsets } : {}),
    };
    if (current)
      this.ctx.api.update(actor, { ...next, metadata: { ...clone(current.metadata), ...next.metadata } });
    else this.ctx.api.create(actor, next);
    return true;
  }

  /** One EndpointSlice per Service (enough here: EKS logs them at Metadata level only). */
  private syncSlice(service: Service, pods: Pod[]): boolean {
    const actor = controllerActor(this.ctx.actors, 'endpointslice-controller');
    const name = service.metadata.name;
    const current = this.ctx.store
      .list<KubeObject>('EndpointSlice', service.metadata.namespace)
      .find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
    const endpoints = pods
      .filter((p) => p.status.podIP)
      .map((p) => ({
        addresses: [p.status.podIP],
        conditions: {
          ready: isPodReady(p) && !isTerminating(p),
          serving: isPodReady(p),
          terminating: isTerminating(p),
        },
        ...(p.spec.nodeName ? { nodeName: p.spec.nodeName } : {}),
        targetRef: {
          kind: 'Pod',
          namespace: p.metadata.namespace,
          name: p.metadata.name,
          uid: p.metadata.uid,
        },
      }));
    const ports = (service.spec.ports ?? []).map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    if (
      current &&
      JSON.stringify(current.endpoints) === JSON.stringify(endpoints) &&
      JSON.stringify(current.ports) === JSON.stringify(ports)
    )
      return false;
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: current
        ? clone(current.metadata)
        : {
            name: '',
            generateName: `${name}-`,
            namespace: service.metadata.namespace as string,
            labels: {
              'kubernetes.io/service-name': name,
              'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
            },
          },
      addressType: 'IPv4',
      endpoints,
      ports,
    };
    if (current) this.ctx.api.update(actor, slice);
    else this.ctx.api.create(actor, slice);
    return true;
  }
}

/**
 * One controller pass's view of the pods, by namespace and label: a Service's pods are the
 * pods of its selector's rarest label, filtered by the rest (key order kept). Scanning every
 * pod of the namespace for every Service made a pass quadratic at a thousand pods.
 */
class PodsByLabel {
  private readonly byNamespace = new Map<string, Map<string, Pod[]>>();

  constructor(private readonly store: ObjectStore) {}

  selected(namespace: string, selector: Record<string, string>): Pod[] {
    const index = this.indexOf(namespace);
    let candidates: Pod[] | undefined;
    for (const [label, value] of Object.entries(selector)) {
      const pods = index.get(`${label}=${value}`) ?? [];
      if (candidates === undefined || pods.length < candidates.length) candidates = pods;
    }
    return (candidates ?? []).filter((pod) => matchesSelector(selector, pod.metadata.labels));
  }

  private indexOf(namespace: string): Map<string, Pod[]> {
    let index = this.byNamespace.get(namespace);
    if (index !== undefined) return index;
    index = new Map();
    for (const pod of this.store.list<Pod>('Pod', namespace)) {
      for (const [label, value] of Object.entries(pod.metadata.labels ?? {})) {
        const key = `${label}=${value}`;
        const pods = index.get(key);
        if (pods === undefined) index.set(key, [pod]);
        else pods.push(pod);
      }
    }
    this.byNamespace.set(namespace, index);
    return index;
  }
}

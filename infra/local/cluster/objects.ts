/**
 * The objects the simulated cluster stores, in their full Kubernetes shapes (not slbc's trimmed
 * ones: the audit log and the API must show what a real API server shows). Fields the
 * simulator never reads stay as they were applied, under the index signatures.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  generateName?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface Container {
  name: string;
  image?: string;
  ports?: ContainerPort[];
  readinessProbe?: unknown;
  [key: string]: unknown;
}

export interface PodSpec {
  nodeName?: string;
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  [key: string]: unknown;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False';
  lastProbeTime?: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export interface PodStatus {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  conditions?: PodCondition[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  containerStatuses?: Record<string, unknown>[];
  qosClass?: string;
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec: PodSpec;
  status: PodStatus;
}

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: {
    type?: string;
    selector?: Record<string, string>;
    ports?: ServicePort[];
    externalTrafficPolicy?: string;
    clusterIP?: string;
    [key: string]: unknown;
  };
  status?: { loadBalancer?: Record<string, unknown> };
}

export interface EndpointAddress {
  ip: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: { name?: string; port: number; protocol: string }[];
}

export interface Endpoints extends KubeObject {
  kind: 'Endpoints';
  subsets?: EndpointSubset[];
}

export interface Node extends KubeObject {
  kind: 'Node';
  spec: {
    providerID: string;
    unschedulable?: boolean;
    taints?: { key: string; value?: string; effect: string }[];
  };
  status: {
    conditions: { type: string; status: string; lastHeartbeatTime?: string; lastTransitionTime?: string }[];
    addresses: { type: string; address: string }[];
    [key: string]: unknown;
  };
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export type IntOrPercent = number | string;

export interface Deployment extends KubeObject {
  kind: 'Deployment';
  spec: {
    replicas?: number;
    selector: { matchLabels?: Record<string, string> };
    template: PodTemplate;
    strategy?: {
      type?: string;
      rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent };
    };
    minReadySeconds?: number;
    [key: string]: unknown;
  };
}

export interface ReplicaSet extends KubeObject {
  kind: 'ReplicaSet';
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: PodTemplate;
  };
}

/** Where each kind lives in the API: the audit log's objectRef and the HTTP paths use this. */
export interface ResourceInfo {
  kind: string;
  /** plural, as in URLs and objectRef.resource */
  resource: string;
  /** '' for the core group */
  group: string;
  version: string;
  namespaced: boolean;
}

const RESOURCE_LIST: ResourceInfo[] = [
  { kind: 'Namespace', resource: 'namespaces', group: '', version: 'v1', namespaced: false },
  { kind: 'Node', resource: 'nodes', group: '', version: 'v1', namespaced: false },
  { kind: 'Pod', resource: 'pods', group: '', version: 'v1', namespaced: true },
  { kind: 'Service', resource: 'services', group: '', version: 'v1', namespaced: true },
  { kind: 'Endpoints', resource: 'endpoints', group: '', version: 'v1', namespaced: true },
  // read by the stacks function for OIDC client credentials (GET by name only)
  { kind: 'Secret', resource: 'secrets', group: '', version: 'v1', namespaced: true },
  {
    kind: 'EndpointSlice',
    resource: 'endpointslices',
    group: 'discovery.k8s.io',
    version: 'v1',
    namespaced: true,
  },
  { kind: 'Deployment', resource: 'deployments', group: 'apps', version: 'v1', namespaced: true },
  { kind: 'ReplicaSet', resource: 'replicasets', group: 'apps', version: 'v1', namespaced: true },
  { kind: 'Ingress', resource: 'ingresses', group: 'networking.k8s.io', version: 'v1', namespaced: true },
  {
    kind: 'IngressClass',
    resource: 'ingressclasses',
    group: 'networking.k8s.io',
    version: 'v1',
    namespaced: false,
  },
  // the LBC's CRD, read by the stacks function (namespaceSelector, group)
  {
    kind: 'IngressClassParams',
    resource: 'ingressclassparams',
    group: 'elbv2.k8s.aws',
    version: 'v1beta1',
    namespaced: false,
  },
];

export const RESOURCES: ReadonlyMap<string, ResourceInfo> = new Map(RESOURCE_LIST.map((r) => [r.kind, r]));
export const RESOURCES_BY_PLURAL: ReadonlyMap<string, ResourceInfo> = new Map(
  RESOURCE_LIST.map((r) => [r.resource, r]),
);

export function apiVersionOf(info: ResourceInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** `ns/name` for namespaced objects, `name` for cluster-scoped ones. */
export function keyOf(meta: { name: string; namespace?: string | undefined }): string {
  return meta.namespace === undefined ? meta.name : `${meta.namespace}/${meta.name}`;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export function matchesSelector(
  selector: Record<string, string>,
  labels: Record<string, string> | undefined,
) {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function isPodReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function isTerminating(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

/** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

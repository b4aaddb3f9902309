import {
  type EndpointAddress,
  type Endpoints,
  type Node,
  OVER_CAPACITY_ANNOTATION,
  type Pod,
  type Service,
  type ServicePort,
} from '../k8s/objects.js';
import {
  endpointsSubsetPort,
  findServicePort,
  instanceIdFromProviderId,
  resolveTargetPort,
} from '../k8s/ports.js';
import { matchesEquality } from '../k8s/selector.js';

/**
 * The targets a binding should have, from the mirrored Service, Endpoints, Pods and Nodes.
 * Pure and serialisable. The rules are the LBC's (docs/targets.md has the table):
 *
 * IP mode: the Service's Endpoints addresses, on the port Kubernetes resolved for the Service
 * port (the subset port with the Service port's name; else the targetPort, resolved per pod).
 * - a ready address is a target unless its pod is known to be terminating;
 * - a not-ready address is a target only if its pod's containers are ready (a readiness gate
 *   holds Ready) on a Ready node, and it is not terminating; on a node whose Ready is Unknown
 *   it is kept aside and used only when nothing else is ready (fail-open);
 * - when Endpoints is over capacity (truncated past 1000 addresses) or not mirrored yet, the
 *   same rules run over the pods the Service's selector picks.
 * Instance mode: every eligible node's instance ID, on the Service port's NodePort.
 */
export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';
const EXCLUDE_LABELS = [
  EXCLUDE_LB_LABEL,
  'alpha.service-controller.kubernetes.io/exclude-balancer',
  'node-role.kubernetes.io/master',
];
const EXCLUDE_TAINTS = [
  'ToBeDeletedByClusterAutoscaler',
  'karpenter.sh/disrupted',
  'karpenter.sh/disruption',
];

export type Known<T> = { state: 'present'; object: T } | { state: 'deleted' } | { state: 'unknown' };

export interface TargetInputs {
  targetType: 'ip' | 'instance';
  service: { namespace: string; name: string; port: string | number };
  serviceObject: Known<Service>;
  endpoints: Known<Endpoints>;
  /** pods of the Service's namespace */
  pods: readonly Pod[];
  nodes: readonly Node[];
  /** use not-ready targets on Unknown nodes when nothing is ready (the LBC default) */
  failOpen?: boolean;
}

export interface DesiredTarget {
  id: string;
  port: number;
  /** the pod (`ns/name`) or node behind it, for logs and history */
  ref: string;
}

export interface Skipped {
  ref: string;
  reason: string;
}

export type DesiredTargets =
  | {
      kind: 'targets';
      mode: 'endpoints' | 'selector' | 'nodes' | 'backend-deleted';
      targets: DesiredTarget[];
      skipped: Skipped[];
    }
  /** not enough is known to decide: leave the target group as it is */
  | { kind: 'unknown'; reason: string }
  /** the binding cannot work as configured: record the error, leave the target group as it is */
  | { kind: 'invalid'; field: string; message: string };

export function desiredTargets(input: TargetInputs): DesiredTargets {
  const { namespace, name, port } = input.service;
  if (input.serviceObject.state === 'unknown') {
    return {
      kind: 'unknown',
      reason: `Service ${namespace}/${name} is not mirrored yet (waiting for its event or resync)`,
    };
  }
  if (input.serviceObject.state === 'deleted')
    return { kind: 'targets', mode: 'backend-deleted', targets: [], skipped: [] };
  const service = input.serviceObject.object;
  const servicePort = findServicePort(service, port);
  if (servicePort === undefined) {
    return {
      kind: 'invalid',
      field: 'spec.ports',
      message: `Service ${namespace}/${name} has no port ${JSON.stringify(port)}`,
    };
  }
  return input.targetType === 'instance'
    ? nodeTargets(input, service, servicePort)
    : podTargets(input, service, servicePort);
}

function podTargets(input: TargetInputs, service: Service, servicePort: ServicePort): DesiredTargets {
  const { namespace, name } = input.service;
  const podsByName = new Map(input.pods.map((pod) => [pod.metadata.name, pod]));
  const nodesByName = new Map(input.nodes.map((node) => [node.metadata.name, node]));
  const buckets: Buckets = { ready: [], unknown: [], skipped: [] };
  const endpoints = input.endpoints;
  const overCapacity =
    endpoints.state === 'present' &&
    endpoints.object.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined;
  let mode: 'endpoints' | 'selector';
  if (endpoints.state === 'present' && !overCapacity) {
    mode = 'endpoints';
    for (const subset of endpoints.object.subsets ?? []) {
      const subsetPort = endpointsSubsetPort(subset, servicePort);
      for (const address of subset.addresses ?? []) {
        const pod = podOf(address, podsByName);
        classify(
          buckets,
          address.ip,
          subsetPort ?? resolveTargetPort(servicePort, pod),
          pod,
          nodesByName,
          true,
          refOf(address, namespace),
          address.nodeName,
        );
      }
      for (const address of subset.notReadyAddresses ?? []) {
        const pod = podOf(address, podsByName);
        if (pod === undefined) {
          buckets.skipped.push({
            ref: refOf(address, namespace),
            reason: 'not ready, and its pod is not mirrored',
          });
          continue;
        }
        classify(
          buckets,
          address.ip,
          subsetPort ?? resolveTargetPort(servicePort, pod),
          pod,
          nodesByName,
          false,
          refOf(address, namespace),
          address.nodeName,
        );
      }
    }
  } else if (endpoints.state === 'deleted') {
    return { kind: 'targets', mode: 'backend-deleted', targets: [], skipped: [] };
  } else {
    const selector = service.spec.selector;
    if (selector === undefined || selector === null || Object.keys(selector).length === 0) {
      return overCapacity
        ? {
            kind: 'invalid',
            field: 'spec.selector',
            message: `Service ${namespace}/${name}: Endpoints is over capacity and the Service has no selector to list its pods by`,
          }
        : {
            kind: 'unknown',
            reason: `Endpoints ${namespace}/${name} is not mirrored yet and the Service has no selector`,
          };
    }
    mode = 'selector';
    for (const pod of input.pods) {
      if (!matchesEquality(pod.metadata.labels, selector)) continue;
      const ip = pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip;
      const ref = `${namespace}/${pod.metadata.name}`;
      if (ip === undefined || ip === '') {
        buckets.skipped.push({ ref, reason: 'no pod IP yet' });
        continue;
      }
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      classify(
        buckets,
        ip,
        resolveTargetPort(servicePort, pod),
        pod,
        nodesByName,
        condition(pod, 'Ready') === 'True',
        ref,
      );
    }
  }
  const chosen = buckets.ready.length > 0 || !(input.failOpen ?? true) ? buckets.ready : buckets.unknown;
  return { kind: 'targets', mode, targets: dedupe(chosen), skipped: buckets.skipped };
}

interface Buckets {
  ready: DesiredTarget[];
  unknown: DesiredTarget[];
  skipped: Skipped[];
}

/**
 * Puts one pod endpoint in the ready bucket, the fail-open bucket, or skips it, saying why.
 * `addressNode` is the Endpoints address's nodeName: the mirrored pod often has no
 * spec.nodeName, as the scheduler sets it through the pods/binding subresource, whose audit
 * line slbc does not ingest.
 */
function classify(
  buckets: Buckets,
  ip: string,
  port: number | undefined,
  pod: Pod | undefined,
  nodes: ReadonlyMap<string, Node>,
  ready: boolean,
  ref: string,
  addressNode?: string,
): void {
  if (port === undefined) {
    buckets.skipped.push({ ref, reason: "its named targetPort is not among its containers' ports" });
    return;
  }
  const terminating = isSet(pod?.metadata.deletionTimestamp);
  if (ready) {
    if (terminating) buckets.skipped.push({ ref, reason: 'terminating' });
    else buckets.ready.push({ id: ip, port, ref });
    return;
  }
  if (pod === undefined) {
    buckets.skipped.push({ ref, reason: 'not ready, and its pod is not mirrored' });
    return;
  }
  if (condition(pod, 'ContainersReady') !== 'True') {
    buckets.skipped.push({ ref, reason: 'not ready: its containers are not ready' });
    return;
  }
  const nodeName = pod.spec?.nodeName ?? addressNode;
  const node = nodeName === undefined ? undefined : nodes.get(nodeName);
  // A node slbc has not mirrored yet (its audit line still on the way) counts as Ready: the
  // kubelet that just reported these containers ready runs on it. Leaving the pod out would
  // hold a readiness-gated pod back until some unrelated event, and with it the rollout.
  const nodeReady = node === undefined ? 'True' : nodeCondition(node, 'Ready');
  if (nodeReady === 'True') {
    if (terminating) buckets.skipped.push({ ref, reason: 'terminating' });
    else buckets.ready.push({ id: ip, port, ref });
  } else if (nodeReady === 'Unknown') {
    buckets.unknown.push({ id: ip, port, ref });
  } else {
    buckets.skipped.push({
      ref,
      reason: `not ready, on node ${nodeName} whose Ready is ${nodeReady ?? 'not reported'}`,
    });
  }
}

function nodeTargets(input: TargetInputs, service: Service, servicePort: ServicePort): DesiredTargets {
  const { namespace, name } = input.service;
  const type = service.spec.type ?? 'ClusterIP';
  if (type !== 'NodePort' && type !== 'LoadBalancer') {
    return {
      kind: 'invalid',
      field: 'spec.type',
      message: `Service ${namespace}/${name} is ${type}: instance targets need type NodePort or LoadBalancer`,
    };
  }
  if (servicePort.nodePort === undefined) {
    return {
      kind: 'invalid',
      field: 'spec.ports',
      message: `Service ${namespace}/${name} port ${servicePort.name ?? servicePort.port} has no nodePort yet`,
    };
  }
  const ready: DesiredTarget[] = [];
  const unknown: DesiredTarget[] = [];
  const skipped: Skipped[] = [];
  for (const node of input.nodes) {
    const ref = node.metadata.name;
    const excluded = nodeExclusion(node);
    if (excluded !== undefined) {
      skipped.push({ ref, reason: excluded });
      continue;
    }
    const id = instanceIdFromProviderId(node.spec?.providerID);
    if (id === undefined) {
      skipped.push({
        ref,
        reason: `spec.providerID ${JSON.stringify(node.spec?.providerID ?? null)} names no EC2 instance`,
      });
      continue;
    }
    const status = nodeCondition(node, 'Ready');
    if (status === 'True') ready.push({ id, port: servicePort.nodePort, ref });
    else if (status === 'Unknown') unknown.push({ id, port: servicePort.nodePort, ref });
  }
  const chosen = ready.length > 0 || !(input.failOpen ?? true) ? ready : unknown;
  return { kind: 'targets', mode: 'nodes', targets: dedupe(chosen), skipped };
}

/** Why a node must not receive load balancer traffic, or undefined if it may. */
export function nodeExclusion(node: Node): string | undefined {
  if (isSet(node.metadata.deletionTimestamp)) return 'being deleted';
  const labels = node.metadata.labels ?? {};
  const label = EXCLUDE_LABELS.find((key) => Object.hasOwn(labels, key));
  if (label !== undefined) return `labelled ${label}`;
  if (labels['eks.amazonaws.com/compute-type'] === 'fargate') return 'a Fargate node';
  const taint = node.spec?.taints?.find((t) => EXCLUDE_TAINTS.includes(t.key));
  if (taint !== undefined) return `tainted ${taint.key}`;
  return undefined;
}

function podOf(address: EndpointAddress, pods: ReadonlyMap<string, Pod>): Pod | undefined {
  const ref = address.targetRef;
  if (ref?.name === undefined || (ref.kind !== undefined && ref.kind !== 'Pod')) return undefined;
  const pod = pods.get(ref.name);
  // a pod of the same name but another uid is not this address's pod
  if (
    pod !== undefined &&
    ref.uid !== undefined &&
    pod.metadata.uid !== undefined &&
    pod.metadata.uid !== ref.uid
  )
    return undefined;
  return pod;
}

function refOf(address: EndpointAddress, namespace: string): string {
  return address.targetRef?.name === undefined
    ? address.ip
    : `${address.targetRef.namespace ?? namespace}/${address.targetRef.name}`;
}

function condition(pod: Pod, type: string): string | undefined {
  return pod.status?.conditions?.find((c) => c.type === type)?.status;
}

function nodeCondition(node: Node, type: string): string | undefined {
  return node.status?.conditions?.find((c) => c.type === type)?.status;
}

function isSet(value: string | null | undefined): boolean {
  return value !== undefined && value !== null && value !== '';
}

function dedupe(targets: DesiredTarget[]): DesiredTarget[] {
  const seen = new Map<string, DesiredTarget>();
  for (const target of targets) seen.set(`${target.id}:${target.port}`, target);
  return [...seen.values()].sort((a, b) => (a.id === b.id ? a.port - b.port : a.id < b.id ? -1 : 1));
}

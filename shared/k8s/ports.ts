import type { Endpoints, Pod, Service, ServicePort } from './objects.js';

/**
 * Port resolution: which Service port a binding names, which container port a (possibly
 * named) targetPort means on a given pod, and which instance a node is.
 */

/** The Service port a binding names: a number matches `port`, a string matches `name` (or a numeric string `port`). */
export function findServicePort(service: Service, ref: string | number): ServicePort | undefined {
  const ports = service.spec.ports ?? [];
  if (typeof ref === 'number') return ports.find((port) => port.port === ref);
  return (
    ports.find((port) => port.name === ref) ??
    (/^\d+$/.test(ref) ? ports.find((port) => port.port === Number(ref)) : undefined)
  );
}

/**
 * The port a pod serves a Service port on. A numeric targetPort is used as is; a named one is
 * looked up in the pod's containers (so it can differ pod to pod, e.g. mid-rollout); no
 * targetPort means the Service port itself.
 */
export function resolveTargetPort(servicePort: ServicePort, pod: Pod | undefined): number | undefined {
  const target = servicePort.targetPort;
  if (target === undefined) return servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of pod?.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/**
 * The port an Endpoints subset lists for this Service port. Kubernetes has already resolved a
 * named targetPort per pod when it built the subset; subset ports carry the Service port's name.
 */
export function endpointsSubsetPort(
  subset: NonNullable<Endpoints['subsets']>[number],
  servicePort: ServicePort,
): number | undefined {
  const ports = subset.ports ?? [];
  if (servicePort.name !== undefined && servicePort.name !== '') {
    return ports.find((port) => port.name === servicePort.name)?.port;
  }
  // an unnamed Service port is the Service's only port
  return ports.length === 1 ? ports[0]?.port : undefined;
}

/**
 * The EC2 instance ID in a node's providerID: `aws:///eu-west-1a/i-0abc` → `i-0abc`. Hybrid
 * nodes (`eks-hybrid:///…/mi-0abc`) are named `hybrid-mi-0abc` as the LBC does. Anything else
 * is undefined: the caller reports the node.
 */
export function instanceIdFromProviderId(providerID: string | undefined): string | undefined {
  if (providerID === undefined) return undefined;
  const aws = /^aws:\/\/\/[^/]*\/(i-[0-9a-zA-Z]+)$/.exec(providerID);
  if (aws !== null) return aws[1];
  const hybrid = /^eks-hybrid:\/\/\/.*\/(mi-[0-9a-zA-Z]+)$/.exec(providerID);
  if (hybrid !== null) return `hybrid-${hybrid[1]}`;
  return undefined;
}

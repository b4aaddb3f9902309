/**
 * Audit lines a real cluster writes around the ones slbc cares about, so ingest's filtering
 * is exercised: reads (get/list at Request level, watch also at stage ResponseStarted), lease
 * renewals (coordination.k8s.io: Metadata), events.k8s.io Events (Metadata) and writes that
 * failed with a 409 Conflict (RequestResponse, but not a change).
 */
import type { ResourceInfo } from '../objects.js';
import type { Rng } from '../rng.js';
import type { Actor } from './actors.js';
import type { AuditRequest } from './event.js';

const PODS: ResourceInfo = { kind: 'Pod', resource: 'pods', group: '', version: 'v1', namespaced: true };
const SERVICES: ResourceInfo = {
  kind: 'Service',
  resource: 'services',
  group: '',
  version: 'v1',
  namespaced: true,
};
const LEASES: ResourceInfo = {
  kind: 'Lease',
  resource: 'leases',
  group: 'coordination.k8s.io',
  version: 'v1',
  namespaced: true,
};
const EVENTS: ResourceInfo = {
  kind: 'Event',
  resource: 'events',
  group: 'events.k8s.io',
  version: 'v1',
  namespaced: true,
};
const ENDPOINTS: ResourceInfo = {
  kind: 'Endpoints',
  resource: 'endpoints',
  group: '',
  version: 'v1',
  namespaced: true,
};

export interface NoiseSources {
  controller: Actor;
  kubelet: Actor | undefined;
  nodeName: string | undefined;
}

/** One noise request, picked at random. */
export function noiseRequest(rng: Rng, sources: NoiseSources): { actor: Actor; request: AuditRequest } {
  const { controller, kubelet, nodeName } = sources;
  switch (rng.int(6)) {
    case 0:
      return {
        actor: controller,
        request: { verb: 'list', resource: PODS, query: 'limit=500&resourceVersion=0' },
      };
    case 1:
      return {
        actor: controller,
        request: {
          verb: 'watch',
          resource: SERVICES,
          query: 'allowWatchBookmarks=true&watch=true',
          stage: 'ResponseStarted',
        },
      };
    case 2:
      return {
        actor: kubelet ?? controller,
        request: {
          verb: 'update',
          resource: LEASES,
          namespace: 'kube-node-lease',
          name: nodeName ?? 'kube-controller-manager',
          requestObject: { kind: 'Lease' },
        },
      };
    case 3:
      return {
        actor: controller,
        request: {
          verb: 'create',
          resource: EVENTS,
          namespace: 'default',
          requestObject: {
            kind: 'Event',
            apiVersion: 'events.k8s.io/v1',
            metadata: { name: `noise.${rng.hex(16)}` },
          },
        },
      };
    case 4:
      return {
        actor: controller,
        request: {
          verb: 'update',
          resource: ENDPOINTS,
          namespace: 'default',
          name: 'kubernetes',
          code: 409,
          failure: {
            reason: 'Conflict',
            message:
              'Operation cannot be fulfilled on endpoints "kubernetes": the object has been modified; please apply your changes to the latest version and try again',
          },
        },
      };
    default:
      return {
        actor: controller,
        request: { verb: 'get', resource: PODS, namespace: 'default', name: `web-${rng.nameSuffix(5)}` },
      };
  }
}

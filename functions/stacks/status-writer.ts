import type { KubeApi } from '../../shared/k8s/kube-api.js';
import type { StatusWriter } from './deps.js';

/**
 * Writes the load balancer's DNS name into `status.loadBalancer.ingress[].hostname` of an
 * Ingress or Service through the cluster's Kubernetes API (a merge patch of the status
 * subresource), as the LBC does. `hostname` undefined clears it.
 */
export function kubeStatusWriter(kubeApiFor: (cluster: string) => Promise<KubeApi>): StatusWriter {
  return {
    async setHostname(cluster, object, hostname) {
      const api = await kubeApiFor(cluster);
      await api.patchStatus(object.kind, object.namespace, object.name, {
        loadBalancer: { ingress: hostname === undefined ? [] : [{ hostname }] },
      });
    },
  };
}

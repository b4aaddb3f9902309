import { NotFoundError } from '../errors.js';
import type { MemberRef } from '../model/stack.js';
import type { KubeApi } from './kube-api.js';

/**
 * Writes `status.loadBalancer.ingress[].hostname` of an Ingress or Service through the Kubernetes
 * API (a status patch). `hostname` undefined clears it. Optional for stacks: without one, status
 * goes to DynamoDB only (state.status), which `slbc status` reads.
 */
export interface StatusWriter {
  setHostname(cluster: string, object: MemberRef, hostname: string | undefined): Promise<void>;
}

/**
 * The status writer over the cluster's Kubernetes API: a merge patch of the status subresource,
 * as the LBC does.
 */
export function kubeStatusWriter(kubeApiFor: (cluster: string) => Promise<KubeApi>): StatusWriter {
  return {
    async setHostname(cluster, object, hostname) {
      const api = await kubeApiFor(cluster);
      try {
        await api.patchStatus(object.kind, object.namespace, object.name, {
          loadBalancer: { ingress: hostname === undefined ? [] : [{ hostname }] },
        });
      } catch (error) {
        // the object is gone (deleted, its stack torn down): its status went with it, nothing
        // to write, and no error to record against a stack deleted by design
        if (
          error instanceof NotFoundError ||
          (error instanceof Error && / answered 404: /.test(error.message))
        )
          return;
        throw error;
      }
    },
  };
}

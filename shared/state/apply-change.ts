import { InvalidInputError } from '../errors.js';
import type { ClusterChangeDetail } from '../events/contract.js';
import type { Mirror, MirrorResult } from './mirror.js';

/**
 * One cluster change from the bus into the mirror: a kubelet status patch is merged by pod uid,
 * a delete leaves a tombstone, anything else is a conditional upsert. Returns undefined when
 * the event carries nothing to mirror (a deletecollection, an object too large for the bus, a
 * write logged without its body): resync lists that object instead.
 */
export async function applyChange(
  mirror: Mirror,
  detail: ClusterChangeDetail,
): Promise<MirrorResult | undefined> {
  const meta = { observedAt: detail.observedAt, auditId: detail.auditId };
  if (detail.needsResync === true || detail.verb === 'deletecollection') return undefined;
  if (detail.kind === 'Pod' && detail.subresource === 'status' && detail.patch !== undefined) {
    if (detail.uid === undefined || detail.namespace === undefined) {
      throw new InvalidInputError(`Pod ${detail.namespace ?? ''}/${detail.name} status patch has no uid`, {
        subject: { kind: 'Pod', name: `${detail.namespace ?? ''}/${detail.name}`, field: 'uid' },
      });
    }
    return mirror.patchPodStatus(
      { cluster: detail.cluster, namespace: detail.namespace, name: detail.name, uid: detail.uid },
      detail.patch,
      meta,
    );
  }
  if (detail.verb === 'delete') {
    return mirror.deleteObject(
      {
        cluster: detail.cluster,
        kind: detail.kind,
        ...(detail.namespace === undefined ? {} : { namespace: detail.namespace }),
        name: detail.name,
        ...(detail.uid === undefined ? {} : { uid: detail.uid }),
        ...(detail.resourceVersion === undefined ? {} : { resourceVersion: detail.resourceVersion }),
      },
      meta,
    );
  }
  if (detail.object === undefined) return undefined;
  return mirror.upsertObject(detail.cluster, detail.kind, detail.object, meta);
}

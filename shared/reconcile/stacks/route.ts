import { configForCluster } from '../../config.js';
import { InvalidInputError } from '../../errors.js';
import { type BusEvent, type ClusterChangeDetail, ClusterChangeDetailSchema } from '../../events/contract.js';
import { isReconcileRequest, requestedKey } from '../../events/reconcile-request.js';
import type { Ingress, IngressClass, Service } from '../../k8s/objects.js';
import {
  groupsOfIngressChange,
  groupsOfIngressClassChange,
  groupsReferencingService,
} from '../../model/ingress/affected.js';
import { groupIdString, type IngressGroupId } from '../../model/ingress/group.js';
import type { Cause, MirrorResult } from '../../state/index.js';
import { applyChange, isNewsFor, isRedelivery, reconcileKeys } from '../../state/index.js';
import { currentChange } from '../current-change.js';
import { clearFetchFailure, recordFetchFailure } from './fetch.js';
import type { StacksDeps } from './ports.js';

/**
 * From an Ingress, IngressClass or Service change to the stack keys it affects, by the one
 * affected-groups rule (shared/model/ingress/affected.ts): the Ingress's group before and after
 * (it may have moved), every group an IngressClass governs, a Service's own NLB stack and every
 * group whose members route to it.
 */
export interface Routed {
  keys: string[];
  cause: Cause;
  /** a redelivered event (mirror-rules.ts isRedelivery): drive only the keys still dirty, bump none */
  onlyIfDirty?: boolean;
}

export async function routeEvent(deps: StacksDeps, event: BusEvent): Promise<Routed> {
  const baseCause: Cause = { detailType: event['detail-type'], eventId: event.id };
  if (isReconcileRequest(event)) {
    const key = requestedKey(event, 'stack#', deps.config.clusters);
    return { keys: key === undefined ? [] : [key], cause: baseCause };
  }
  const parsed = ClusterChangeDetailSchema.safeParse(event.detail);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = `detail.${(issue?.path ?? []).map(String).join('.')}`;
    throw new InvalidInputError(
      `${event['detail-type']} event ${event.id}: field ${field}: ${issue?.message}`,
      {
        subject: { kind: 'Event', name: event.id, field },
      },
    );
  }
  const detail = parsed.data;
  const cause: Cause = { ...baseCause, auditId: detail.auditId, observedAt: detail.observedAt };
  if (!deps.config.clusters.includes(detail.cluster)) {
    throw new InvalidInputError(`cluster ${detail.cluster} is not one this deployment serves`, {
      subject: { kind: 'Event', name: event.id, field: 'detail.cluster' },
    });
  }
  if (!['Ingress', 'IngressClass', 'Service'].includes(detail.kind)) return { keys: [], cause };
  // status writes (ours included) change nothing a stack is built from
  if (detail.subresource === 'status') return { keys: [], cause };
  const fetched = await currentChange(deps, event, detail);
  if ('failed' in fetched) {
    // a change we cannot see: recorded against the object; the Service's own key still goes
    deps.logger.error('change without its object could not be fetched', { ...fetched.failed });
    await recordFetchFailure(deps.state.errors, detail, fetched.failed);
    return { keys: await keysByName(deps, detail), cause };
  }
  if ('detail' in fetched) await clearFetchFailure(deps.state.errors, detail);
  const change = 'detail' in fetched ? fetched.detail : detail;
  const result = await applyChange(deps.state.mirror, change);
  if (result === undefined) {
    // no object to mirror: reconcile what the name alone tells us
    return { keys: await keysByName(deps, detail), cause };
  }
  if (isNewsFor(detail.kind, result)) return { keys: await affectedKeys(deps, change, result), cause };
  // a retry of an event whose pass failed: its keys, as the mirror now holds the object
  if (isRedelivery(event, result))
    return { keys: await affectedKeys(deps, change, result), cause, onlyIfDirty: true };
  return { keys: [], cause };
}

async function affectedKeys(
  deps: StacksDeps,
  detail: ClusterChangeDetail,
  result: MirrorResult,
): Promise<string[]> {
  const { cluster } = detail;
  const { mirror } = deps.state;
  const groupKey = (id: IngressGroupId) => reconcileKeys.ingressStack(cluster, groupIdString(id));
  switch (detail.kind) {
    case 'Ingress': {
      const classes = (await mirror.listObjects(cluster, 'IngressClass')) as IngressClass[];
      const before = result.before as Ingress | undefined;
      const after = result.after as Ingress | undefined;
      return groupsOfIngressChange(before, after, classes, configForCluster(deps.config, cluster)).map(
        groupKey,
      );
    }
    case 'IngressClass': {
      const ingresses = (await mirror.listObjects(cluster, 'Ingress')) as Ingress[];
      return groupsOfIngressClassChange(detail.name, ingresses).map(groupKey);
    }
    case 'Service': {
      const keys: string[] = [];
      const namespace = detail.namespace ?? '';
      const before = result.before as Service | undefined;
      const after = result.after as Service | undefined;
      // a delete may reach us after targets already tombstoned the Service (no `before`)
      if (
        detail.verb === 'delete' ||
        before?.spec.type === 'LoadBalancer' ||
        after?.spec.type === 'LoadBalancer'
      )
        keys.push(reconcileKeys.serviceStack(cluster, namespace, detail.name));
      const [ingresses, classes] = await Promise.all([
        mirror.listObjects(cluster, 'Ingress', namespace) as Promise<Ingress[]>,
        mirror.listObjects(cluster, 'IngressClass') as Promise<IngressClass[]>,
      ]);
      const groups = groupsReferencingService(
        { namespace, name: detail.name },
        ingresses,
        classes,
        configForCluster(deps.config, cluster),
      );
      return [...keys, ...groups.map(groupKey)];
    }
    default:
      return [];
  }
}

async function keysByName(deps: StacksDeps, detail: ClusterChangeDetail): Promise<string[]> {
  if (detail.kind === 'Service' && detail.namespace !== undefined && detail.name !== '')
    return [reconcileKeys.serviceStack(detail.cluster, detail.namespace, detail.name)];
  deps.logger.warn('event carries no object; left to resync', { kind: detail.kind, name: detail.name });
  return [];
}

import { InvalidInputError } from '../../shared/errors.js';
import {
  type BusEvent,
  type ClusterChangeDetail,
  ClusterChangeDetailSchema,
} from '../../shared/events/contract.js';
import { isReconcileRequest, requestedKey } from '../../shared/events/reconcile-request.js';
import type { Ingress, IngressClass, Service } from '../../shared/k8s/objects.js';
import { groupIdString, groupOf, isManagedIngress } from '../../shared/model/ingress/group.js';
import type { Cause, MirrorResult } from '../../shared/state/index.js';
import { applyChange, isNewsFor, reconcileKeys } from '../../shared/state/index.js';
import type { StacksDeps } from './deps.js';

/**
 * From an Ingress, IngressClass or Service change to the stack keys it affects: the Ingress's
 * group before and after (it may have moved), every group an IngressClass governs, a Service's
 * own NLB stack and every group whose members name it as a backend.
 */
export interface Routed {
  keys: string[];
  cause: Cause;
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
  const result = await applyChange(deps.state.mirror, detail);
  if (result === undefined) {
    // no object to mirror: reconcile what the name alone tells us
    return { keys: await keysByName(deps, detail), cause };
  }
  if (!isNewsFor(detail.kind, result)) return { keys: [], cause };
  return { keys: await affectedKeys(deps, detail, result), cause };
}

export function ingressGroupKey(cluster: string, ingress: Ingress): string | undefined {
  const group = groupOf(ingress);
  return 'id' in group ? reconcileKeys.ingressStack(cluster, groupIdString(group.id)) : undefined;
}

/** Backends named by the rules, the default backend and action annotations. */
export function referencesService(ingress: Ingress, serviceName: string): boolean {
  const spec = ingress.spec;
  if (spec?.defaultBackend?.service?.name === serviceName) return true;
  for (const rule of spec?.rules ?? []) {
    for (const path of rule.http?.paths ?? []) if (path.backend.service?.name === serviceName) return true;
  }
  return Object.entries(ingress.metadata.annotations ?? {}).some(
    ([key, value]) => key.includes('/actions.') && value.includes(`"${serviceName}"`),
  );
}

async function affectedKeys(
  deps: StacksDeps,
  detail: ClusterChangeDetail,
  result: MirrorResult,
): Promise<string[]> {
  const { cluster } = detail;
  const keys = new Set<string>();
  const classes = (await deps.state.mirror.listObjects(cluster, 'IngressClass')) as IngressClass[];
  const managed = (ingress: Ingress | undefined): ingress is Ingress =>
    ingress !== undefined && isManagedIngress(ingress, classes, deps.config);
  switch (detail.kind) {
    case 'Ingress': {
      for (const ingress of [result.before as Ingress | undefined, result.after as Ingress | undefined]) {
        // a class change away from us still empties the old group: managed before OR after
        if (ingress === undefined) continue;
        const key = ingressGroupKey(cluster, ingress);
        if (key && (managed(result.before as Ingress) || managed(result.after as Ingress))) keys.add(key);
      }
      break;
    }
    case 'IngressClass': {
      const name = detail.name;
      for (const ingress of (await deps.state.mirror.listObjects(cluster, 'Ingress')) as Ingress[]) {
        const className = ingress.spec?.ingressClassName;
        if (className === name || className === undefined) {
          const key = ingressGroupKey(cluster, ingress);
          if (key) keys.add(key);
        }
      }
      break;
    }
    case 'Service': {
      const namespace = detail.namespace ?? '';
      const before = result.before as Service | undefined;
      const after = result.after as Service | undefined;
      // a delete may reach us after targets already tombstoned the Service (no `before`)
      if (
        detail.verb === 'delete' ||
        before?.spec.type === 'LoadBalancer' ||
        after?.spec.type === 'LoadBalancer'
      )
        keys.add(reconcileKeys.serviceStack(cluster, namespace, detail.name));
      for (const ingress of (await deps.state.mirror.listObjects(
        cluster,
        'Ingress',
        namespace,
      )) as Ingress[]) {
        if (!managed(ingress) || !referencesService(ingress, detail.name)) continue;
        const key = ingressGroupKey(cluster, ingress);
        if (key) keys.add(key);
      }
      break;
    }
  }
  return [...keys];
}

async function keysByName(deps: StacksDeps, detail: ClusterChangeDetail): Promise<string[]> {
  if (detail.kind === 'Service' && detail.namespace !== undefined && detail.name !== '')
    return [reconcileKeys.serviceStack(detail.cluster, detail.namespace, detail.name)];
  deps.logger.warn('event carries no object; left to resync', { kind: detail.kind, name: detail.name });
  return [];
}

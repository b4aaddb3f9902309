import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  type BusEvent,
  type ClusterChangeDetail,
  ClusterChangeDetailSchema,
  DETAIL_TYPES,
  TargetGroupBoundDetailSchema,
} from '../../events/contract.js';
import { isReconcileRequest, requestedKey } from '../../events/reconcile-request.js';
import type { Node, Pod } from '../../k8s/objects.js';
import { matchesEquality } from '../../k8s/selector.js';
import { nodeExclusion } from '../../model/targets.js';
import {
  applyChange,
  type Binding,
  type Cause,
  isNewsFor,
  isRedelivery,
  type MirrorResult,
  targetGroupOfKey,
} from '../../state/index.js';
import { currentChange } from '../current-change.js';
import { clearFetchFailure, recordFetchFailure } from '../stacks/fetch.js';
import { TARGETS_METRICS, type TargetsDeps } from './ports.js';

/**
 * From a bus event to the target groups it affects: validate the detail, write the mirror,
 * and work out which bindings could now want other targets. A change that cannot alter any
 * binding's targets (a duplicate, a condition slbc does not read) bumps nothing.
 */
export interface Routed {
  /** target group ARNs to bump and reconcile */
  targetGroups: string[];
  cause: Cause;
  /** a redelivered event (mirror-rules.ts isRedelivery): drive only the keys still dirty, bump none */
  onlyIfDirty?: boolean;
}

export async function routeEvent(deps: TargetsDeps, event: BusEvent): Promise<Routed> {
  const detailType = event['detail-type'];
  const baseCause: Cause = { detailType, eventId: event.id };
  if (detailType === DETAIL_TYPES.TargetGroupBound) {
    const parsed = TargetGroupBoundDetailSchema.safeParse(event.detail);
    if (!parsed.success) return reject(deps, event, parsed.error.issues[0]);
    // stacks wrote the binding: only its key needs a pass
    return {
      targetGroups: [parsed.data.targetGroupArn],
      cause: { ...baseCause, observedAt: parsed.data.observedAt },
    };
  }
  if (isReconcileRequest(event)) {
    // resync found the key dirty with nobody working it: one pass, nothing to mirror
    const key = requestedKey(event, 'tg#', deps.config.clusters);
    return { targetGroups: key === undefined ? [] : [targetGroupOfKey(key)], cause: baseCause };
  }
  const parsed = ClusterChangeDetailSchema.safeParse(event.detail);
  if (!parsed.success) return reject(deps, event, parsed.error.issues[0]);
  const detail = parsed.data;
  const cause: Cause = { ...baseCause, auditId: detail.auditId, observedAt: detail.observedAt };
  if (!deps.config.clusters.includes(detail.cluster)) {
    await recordEventError(
      deps,
      event,
      detail.cluster,
      'cluster',
      `cluster ${detail.cluster} is not one this deployment serves (${deps.config.clusters.join(', ')})`,
    );
    return { targetGroups: [], cause };
  }
  // a change ingest sent without its object (over the bus's budget) is fetched, as stacks does
  const fetched = await currentChange(deps, event, detail);
  if ('failed' in fetched) {
    deps.logger.error('change without its object could not be fetched', { ...fetched.failed });
    await recordFetchFailure(deps.state.errors, detail, fetched.failed, 'targets');
    return { targetGroups: [], cause };
  }
  if ('detail' in fetched) await clearFetchFailure(deps.state.errors, detail, 'targets');
  const change = 'detail' in fetched ? fetched.detail : detail;
  const result = await applyToMirror(deps, change);
  if (result === undefined) return { targetGroups: [], cause };
  const news = isNewsFor(detail.kind, result);
  const redelivered = !news && isRedelivery(event, result);
  if (!news && !redelivered) return { targetGroups: [], cause };
  const bindings = await affectedBindings(deps, change, result, redelivered);
  return {
    targetGroups: bindings.map((binding) => binding.targetGroupArn),
    cause,
    ...(redelivered ? { onlyIfDirty: true } : {}),
  };
}

async function applyToMirror(
  deps: TargetsDeps,
  detail: ClusterChangeDetail,
): Promise<MirrorResult | undefined> {
  const result = await applyChange(deps.state.mirror, detail);
  if (result === undefined) {
    deps.logger.warn('event carries no object; left to resync', {
      kind: detail.kind,
      name: detail.name,
      verb: detail.verb,
    });
  }
  return result;
}

/**
 * A redelivered event's change is no longer visible (the mirror holds it already: before and
 * after are the same), so it is taken as the widest change its object could have made; only the
 * keys still dirty among those are driven.
 */
async function affectedBindings(
  deps: TargetsDeps,
  detail: ClusterChangeDetail,
  result: MirrorResult,
  redelivered: boolean,
): Promise<Binding[]> {
  const { bindings } = deps.state;
  const namespace = detail.namespace ?? '';
  switch (detail.kind) {
    case 'Service':
    case 'Endpoints':
      return bindings.forService(detail.cluster, namespace, detail.name);
    case 'Node': {
      const before = result.before as Node | undefined;
      const after = result.after as Node | undefined;
      return !redelivered && nodeProjection(before) === nodeProjection(after)
        ? []
        : bindings.forNodes(detail.cluster);
    }
    case 'Pod': {
      const before = result.before as Pod | undefined;
      const after = result.after as Pod | undefined;
      const change = redelivered ? 'direct' : podChange(before, after);
      if (change === 'none') return [];
      return podBindings(deps, detail.cluster, namespace, (after ?? before)?.metadata.labels, change);
    }
    default:
      return [];
  }
}

/**
 * The ip bindings a pod change can move, from the Services that select it: the namespace's
 * Services are read in one round trip (not one GetItem per binding), and only the selecting
 * Services' bindings are read. A Service that is not mirrored yet needs no bump (its pass
 * decides nothing until the Service arrives, and the Service event bumps it then); a mirrored
 * Service without a selector may still be backed by the pod, so it is reconciled to be safe.
 */
async function podBindings(
  deps: TargetsDeps,
  cluster: string,
  namespace: string,
  labels: Record<string, string> | undefined,
  change: 'endpoints-visible' | 'direct',
): Promise<Binding[]> {
  const { bindings } = deps.state;
  // one Query of the namespace's Services' selectors (their documents left out): its cost grows
  // with their total size, where a GetItem per candidate costs at least a unit each
  const services = await deps.state.mirror.listServiceSelectors(cluster, namespace);
  const selecting = services.filter(({ selector }) => selector === null || matchesEquality(labels, selector));
  const selected: Binding[] = [];
  for (const { name } of selecting) {
    // readiness and IP changes reach targets through the Endpoints update that follows them,
    // unless targets come from the selector (Endpoints over capacity or not mirrored)
    if (
      change === 'endpoints-visible' &&
      (await deps.state.mirror.endpointsCapacity(cluster, namespace, name)) === 'listed'
    )
      continue;
    for (const binding of await bindings.forService(cluster, namespace, name)) {
      if (binding.targetType === 'ip') selected.push(binding);
    }
  }
  return selected;
}

/**
 * How a pod change can move targets. `direct`: something the Endpoints object does not show:
 * its containers are ready while Ready is held False (the readiness-gate path), or it changed
 * identity or labels. `endpoints-visible`: IP, readiness or termination, which the Endpoints
 * update the endpoints controller makes at the same moment carries (a terminating pod leaves
 * `addresses` then). `none`: nothing target selection reads.
 */
export function podChange(
  before: Pod | undefined,
  after: Pod | undefined,
): 'none' | 'endpoints-visible' | 'direct' {
  if (podProjection(before) === podProjection(after)) return 'none';
  const gated = (pod: Pod) => {
    const condition = (type: string) => pod.status?.conditions?.find((c) => c.type === type)?.status;
    return condition('ContainersReady') === 'True' && condition('Ready') !== 'True';
  };
  const direct = (pod: Pod | undefined) => {
    if (pod === undefined) return 'absent';
    return JSON.stringify([pod.metadata.uid, gated(pod), pod.metadata.labels ?? {}]);
  };
  // first seen already gated (its create arrived after the Endpoints naming it, the kubelet's
  // status merged in): the Endpoints pass skipped it as not mirrored, so only this event can add it
  if (before === undefined && after !== undefined && gated(after)) return 'direct';
  if (before === undefined || after === undefined) return 'endpoints-visible';
  return direct(before) === direct(after) ? 'endpoints-visible' : 'direct';
}

/** The pod fields target selection reads; a change elsewhere cannot change any target. */
export function podProjection(pod: Pod | undefined): string {
  if (pod === undefined) return 'absent';
  const condition = (type: string) => pod.status?.conditions?.find((c) => c.type === type)?.status;
  return JSON.stringify([
    pod.metadata.uid,
    pod.status?.podIP,
    pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed',
    condition('Ready'),
    condition('ContainersReady'),
    Boolean(pod.metadata.deletionTimestamp),
    pod.spec?.nodeName,
    pod.metadata.labels ?? {},
  ]);
}

export function nodeProjection(node: Node | undefined): string {
  if (node === undefined) return 'absent';
  return JSON.stringify([
    node.spec?.providerID,
    node.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    nodeExclusion(node) ?? '',
  ]);
}

async function reject(
  deps: TargetsDeps,
  event: BusEvent,
  issue: { path: PropertyKey[]; message: string } | undefined,
): Promise<Routed> {
  const field = (issue?.path ?? []).map(String).join('.');
  const cluster =
    typeof (event.detail as { cluster?: unknown })?.cluster === 'string'
      ? (event.detail as { cluster: string }).cluster
      : 'unknown';
  await recordEventError(
    deps,
    event,
    cluster,
    `detail.${field}`,
    `${event['detail-type']} event ${event.id}: field detail.${field}: ${issue?.message ?? 'invalid'}`,
  );
  return { targetGroups: [], cause: { detailType: event['detail-type'], eventId: event.id } };
}

async function recordEventError(
  deps: TargetsDeps,
  event: BusEvent,
  cluster: string,
  field: string,
  message: string,
): Promise<void> {
  deps.metrics.addMetric(TARGETS_METRICS.rejected, MetricUnit.Count, 1);
  deps.logger.error('event rejected', { eventId: event.id, detailType: event['detail-type'], message });
  await deps.state.errors.record({ cluster, kind: 'Event', name: event.id, field, message, key: 'targets' });
}

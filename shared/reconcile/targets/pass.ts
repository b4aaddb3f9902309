import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TargetGroupInfo } from '../../aws/elbv2-targets.js';
import { SlbcError } from '../../errors.js';
import { OVER_CAPACITY_ANNOTATION } from '../../k8s/objects.js';
import { REGISTRATION_IN_PROGRESS } from '../../model/readiness-gates.js';
import { desiredTargets } from '../../model/targets.js';
import {
  chunk,
  type OwnershipView,
  planTargets,
  type TargetChanges,
  type TargetDescription,
  targetKey,
} from '../../plan/targets.js';
import { type Binding, type Cause, type Lease, reconcileKeys } from '../../state/index.js';
import { eventOrderKey, orderKeyMillis } from '../../state/ordering.js';
import { LeaseLostError } from '../../state/queue.js';
import { answerGates, gatedTargets, healthByTarget, scheduleRecheck } from './gates.js';
import { forgetTargetHealth, readTargetHealth } from './health-read.js';
import { podsForPass } from './pods.js';
import { TARGETS_METRICS, type TargetsDeps } from './ports.js';
import { vpcCidrsFor } from './vpc-cidrs.js';

/**
 * One reconcile pass for one target group binding:
 *
 *   mirror → desired targets → DescribeTargetHealth → plan → record ownership
 *          → RegisterTargets (chunks of 200) → history
 *          → DeregisterTargets (chunks of 200) → history → forget ownership
 *
 * Register first, deregister after: during a rollout the new pods are in the target group
 * before the old ones leave it. Ownership is recorded before registering, so a lost response
 * cannot leave a target slbc does not know it owns. Retryable failures throw (the queue key
 * stays dirty and Lambda retries); permanent ones are recorded against the binding.
 */
export interface PassReport {
  outcome: 'applied' | 'no-change' | 'unknown' | 'invalid' | 'no-binding' | 'failed' | 'lease-lost';
  /** a gated pod is not yet healthy everywhere: a delayed re-check was asked for */
  gatesPending?: boolean;
  changes?: TargetChanges;
  message?: string;
}

const TARGET_GROUP_CACHE_MS = 5 * 60_000;

export async function reconcileBinding(
  deps: TargetsDeps,
  targetGroupArn: string,
  cause: Cause,
  lease?: Lease,
): Promise<PassReport> {
  const { state } = deps;
  const binding = await state.bindings.get(targetGroupArn);
  if (binding === undefined) return { outcome: 'no-binding' };
  deps.metrics.addMetric(TARGETS_METRICS.reconciles, MetricUnit.Count, 1);
  const passCause: Cause = lease === undefined ? cause : { ...cause, gen: lease.gen };
  try {
    const inputs = await loadInputs(deps, binding);
    const desired = desiredTargets(inputs);
    if (desired.kind === 'unknown') {
      deps.logger.info('targets not decidable yet; target group left as it is', {
        targetGroupArn,
        reason: desired.reason,
      });
      return { outcome: 'unknown', message: desired.reason };
    }
    if (desired.kind === 'invalid') {
      await recordBindingError(deps, binding, desired.message, desired.field);
      return { outcome: 'invalid', message: desired.message };
    }
    const targetGroup = await describeTargetGroup(deps, targetGroupArn);
    const ownedByCluster = binding.createdBySlbc || targetGroup.clusterTag === binding.cluster;
    const owned = ownedByCluster ? undefined : await state.ownership.list(targetGroupArn);
    const ownership: OwnershipView =
      owned === undefined
        ? { mode: 'all' }
        : { mode: 'recorded', known: owned.known, targets: owned.targets };
    const actual = await readTargetHealth(deps, targetGroupArn, desired.targets, cause);
    const vpcCidrs = await vpcCidrsFor(deps, binding);
    const changes = planTargets({
      desired: desired.targets,
      actual,
      ownership,
      targetType: binding.targetType,
      ...(vpcCidrs === undefined ? {} : { vpcCidrs }),
    });
    if (changes.ownershipUnknown.length > 0) {
      deps.logger.info('ownership not recorded yet: not deregistering', {
        targetGroupArn,
        targets: changes.ownershipUnknown.length,
      });
    }
    const key = reconcileKeys.targetGroup(targetGroupArn);
    // fencing: before each ELBv2 write, the lease must still be ours (a stalled holder's was taken over)
    const fence = async () => {
      if (lease !== undefined && !(await state.queue.stillHolds(key, lease.owner)))
        throw new LeaseLostError(key);
    };
    const done = { registered: [] as TargetDescription[], deregistered: [] as TargetDescription[] };
    // this pass's writes make the cached health read stale: the next pass must list the group again
    if (changes.register.length + changes.deregister.length > 0) forgetTargetHealth(deps, targetGroupArn);
    try {
      let ownedNow = owned;
      if (changes.register.length > 0) {
        // recorded first: if the call succeeds and its answer is lost, the target is still known to be ours
        if (ownedNow !== undefined) {
          ownedNow = await state.ownership.record(
            targetGroupArn,
            changes.register.map(describedKey),
            ownedNow,
          );
        }
        for (const part of chunk(changes.register)) {
          await fence();
          await deps.elbv2.registerTargets(targetGroupArn, part);
          done.registered.push(...part);
          deps.metrics.addMetric(TARGETS_METRICS.registered, MetricUnit.Count, part.length);
          if (cause.observedAt !== undefined) {
            const lag = deps.now() - orderKeyMillis(eventOrderKey(cause.observedAt, 'lag'));
            deps.metrics.addMetric(TARGETS_METRICS.lag, MetricUnit.Milliseconds, Math.max(0, lag));
          }
        }
      }
      for (const part of chunk(changes.deregister)) {
        await fence();
        await deps.elbv2.deregisterTargets(targetGroupArn, part);
        done.deregistered.push(...part);
        deps.metrics.addMetric(TARGETS_METRICS.deregistered, MetricUnit.Count, part.length);
      }
      if (ownedNow !== undefined && done.deregistered.length > 0) {
        await state.ownership.forget(targetGroupArn, done.deregistered.map(describedKey), ownedNow);
      }
    } finally {
      // one history entry per pass, written even when a later call of the pass failed
      if (done.registered.length + done.deregistered.length > 0) {
        await state.history.record({
          key,
          action:
            done.deregistered.length === 0
              ? 'RegisterTargets'
              : done.registered.length === 0
                ? 'DeregisterTargets'
                : 'RegisterTargets+DeregisterTargets',
          resource: targetGroupArn,
          details: { registered: done.registered, deregistered: done.deregistered },
          cause: passCause,
        });
      }
    }
    if (binding.lastError !== undefined) await clearBindingError(deps, binding);
    const gatesPending = await gatesAfterPass(deps, binding, desired.targets, inputs.pods, actual, changes);
    if (gatesPending) await scheduleRecheck(deps, binding, targetGroup.healthCheckIntervalSeconds);
    const applied = changes.register.length + changes.deregister.length > 0;
    return { outcome: applied ? 'applied' : 'no-change', changes, ...(gatesPending ? { gatesPending } : {}) };
  } catch (error) {
    if (error instanceof LeaseLostError) {
      deps.metrics.addMetric(TARGETS_METRICS.leaseLost, MetricUnit.Count, 1);
      deps.logger.warn('lease lost before an ELBv2 write: the new holder reconciles', { targetGroupArn });
      return { outcome: 'lease-lost', message: error.message };
    }
    if (error instanceof SlbcError && !error.retryable) {
      await recordBindingError(deps, binding, error.message, error.subject?.field);
      return { outcome: 'failed', message: error.message };
    }
    throw error;
  }
}

/** Gate conditions from this pass's health read: what it just registered reads as registration in progress. */
async function gatesAfterPass(
  deps: TargetsDeps,
  binding: Binding,
  desired: Parameters<typeof gatedTargets>[0],
  pods: Parameters<typeof gatedTargets>[1],
  actual: Parameters<typeof healthByTarget>[0],
  changes: TargetChanges,
): Promise<boolean> {
  if (binding.targetType !== 'ip' || deps.gates === undefined) return false;
  const gated = gatedTargets(desired, pods);
  if (gated.length === 0) return false;
  const health = healthByTarget(actual);
  for (const target of changes.register) health.set(describedKey(target), REGISTRATION_IN_PROGRESS);
  return answerGates(deps, binding, gated, health);
}

function describedKey(target: { Id: string; Port: number }): string {
  return targetKey({ id: target.Id, port: target.Port });
}

export async function loadInputs(deps: TargetsDeps, binding: Binding) {
  const { mirror } = deps.state;
  const { namespace, name } = binding.service;
  const ip = binding.targetType === 'ip';
  const [serviceObject, endpoints] = await Promise.all([
    mirror.lookup(binding.cluster, 'Service', namespace, name),
    ip
      ? mirror.lookup(binding.cluster, 'Endpoints', namespace, name)
      : Promise.resolve({ state: 'unknown' as const }),
  ]);
  const pods = ip ? await podsForPass(mirror, binding.cluster, namespace, endpoints) : [];
  // nodes matter for instance targets and for not-ready pod endpoints only
  const needsNodes =
    !ip ||
    endpoints.state !== 'present' ||
    endpoints.object.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined ||
    (endpoints.object.subsets ?? []).some((subset) => (subset.notReadyAddresses ?? []).length > 0);
  const nodes = needsNodes ? await mirror.listObjects(binding.cluster, 'Node') : [];
  return { targetType: binding.targetType, service: binding.service, serviceObject, endpoints, pods, nodes };
}

export async function describeTargetGroup(
  deps: TargetsDeps,
  targetGroupArn: string,
): Promise<TargetGroupInfo> {
  const cached = deps.targetGroupCache.get(targetGroupArn);
  if (cached !== undefined && cached.until > deps.now()) return cached.info;
  const info = await deps.elbv2.describeTargetGroup(targetGroupArn);
  deps.targetGroupCache.set(targetGroupArn, { info, until: deps.now() + TARGET_GROUP_CACHE_MS });
  return info;
}

async function recordBindingError(
  deps: TargetsDeps,
  binding: Binding,
  message: string,
  field?: string,
): Promise<void> {
  deps.metrics.addMetric(TARGETS_METRICS.errors, MetricUnit.Count, 1);
  deps.logger.error('binding cannot be reconciled', { targetGroupArn: binding.targetGroupArn, message });
  deps.targetGroupCache.delete(binding.targetGroupArn);
  await deps.state.errors.record({
    cluster: binding.cluster,
    kind: 'TargetGroupBinding',
    namespace: binding.service.namespace,
    name: `${binding.service.name}:${binding.service.port}`,
    ...(field === undefined ? {} : { field }),
    message,
    key: reconcileKeys.targetGroup(binding.targetGroupArn),
  });
  await deps.state.bindings.setLastError(binding.targetGroupArn, message);
}

async function clearBindingError(deps: TargetsDeps, binding: Binding): Promise<void> {
  await deps.state.errors.clear({
    cluster: binding.cluster,
    kind: 'TargetGroupBinding',
    namespace: binding.service.namespace,
    name: `${binding.service.name}:${binding.service.port}`,
    key: reconcileKeys.targetGroup(binding.targetGroupArn),
  });
  await deps.state.bindings.setLastError(binding.targetGroupArn, undefined);
}

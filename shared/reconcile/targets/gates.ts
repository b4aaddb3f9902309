import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { recheckDelay } from '../../aws/recheck-queue.js';
import { NotFoundError } from '../../errors.js';
import type { Pod } from '../../k8s/objects.js';
import { matchesEquality } from '../../k8s/selector.js';
import {
  combinedCondition,
  type GateCondition,
  gatePatch,
  needsRecheck,
  type TargetHealthView,
  targetHealthGates,
} from '../../model/readiness-gates.js';
import type { DesiredTarget } from '../../model/targets.js';
import { type ActualTarget, targetKey } from '../../plan/targets.js';
import { type Binding, reconcileKeys } from '../../state/index.js';
import { TARGETS_METRICS, type TargetsDeps } from './ports.js';

/**
 * Readiness gates, the I/O side (the decisions are shared/model/readiness-gates.ts): for each
 * pod among a binding's desired targets that carries a gate slbc answers, its health in this
 * target group and in every other ip target group whose Service selects it, the condition
 * patched through pods/status when it changed, and a delayed re-check while one is not True.
 */
export interface GatedTarget {
  target: DesiredTarget;
  pod: Pod;
  gates: string[];
}

const DRAINING = new Set(['draining', 'unhealthy.draining']);
const DEFAULT_INTERVAL_SECONDS = 15;

/** The desired targets whose pod carries a gate slbc answers (terminating pods are left alone). */
export function gatedTargets(targets: readonly DesiredTarget[], pods: readonly Pod[]): GatedTarget[] {
  const byRef = new Map(pods.map((pod) => [`${pod.metadata.namespace}/${pod.metadata.name}`, pod]));
  return targets.flatMap((target) => {
    const pod = byRef.get(target.ref);
    if (pod === undefined || pod.metadata.deletionTimestamp) return [];
    const gates = targetHealthGates(pod);
    return gates.length === 0 ? [] : [{ target, pod, gates }];
  });
}

/** Health as ELBv2 reports it, keyed `id:port`; draining and not-registered read as no health. */
export function healthByTarget(actual: readonly ActualTarget[]): Map<string, TargetHealthView> {
  const out = new Map<string, TargetHealthView>();
  for (const target of actual) {
    if (target.state === undefined || DRAINING.has(target.state) || target.state === 'unused') continue;
    out.set(targetKey(target), {
      state: target.state,
      ...(target.reason === undefined ? {} : { reason: target.reason }),
      ...(target.description === undefined ? {} : { description: target.description }),
    });
  }
  return out;
}

/**
 * Patches each gated pod's conditions from `health` (this target group's) and the other
 * target groups selecting it. Returns true when some gate is still not True.
 */
export async function answerGates(
  deps: TargetsDeps,
  binding: Binding,
  gated: readonly GatedTarget[],
  health: ReadonlyMap<string, TargetHealthView>,
): Promise<boolean> {
  if (gated.length === 0 || deps.gates === undefined) return false;
  const others = await otherTargetGroups(deps, binding);
  let pending = false;
  const api = await deps.gates.kubeApiFor(binding.cluster);
  const nowIso = new Date(deps.now()).toISOString();
  for (const { target, pod, gates } of gated) {
    const perTargetGroup = [
      { targetGroup: binding.targetGroupArn, health: health.get(targetKey(target)) },
      ...(await others.healthOf(pod, target.id)),
    ];
    const wanted: GateCondition[] = gates.map((type) => combinedCondition(type, perTargetGroup));
    if (needsRecheck(wanted)) pending = true;
    const patch = gatePatch(pod, wanted, nowIso);
    if (patch.length === 0 || api.patchPodConditions === undefined) continue;
    try {
      await api.patchPodConditions(pod.metadata.namespace ?? '', pod.metadata.name, pod.metadata.uid, patch);
      deps.metrics.addMetric(TARGETS_METRICS.gatesPatched, MetricUnit.Count, 1);
    } catch (error) {
      // the pod is gone: its Endpoints update will take the target out
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return pending;
}

/** The other ip bindings of the namespace, read lazily: their Service's selector, then their health. */
async function otherTargetGroups(deps: TargetsDeps, binding: Binding) {
  const { namespace } = binding.service;
  const candidates = (await deps.state.bindings.forNamespace(binding.cluster, namespace)).filter(
    (other) => other.targetType === 'ip' && other.targetGroupArn !== binding.targetGroupArn,
  );
  const selectors = new Map<string, Record<string, string> | null | undefined>();
  const described = new Map<string, Promise<ActualTarget[]>>();
  return {
    async healthOf(pod: Pod, ip: string) {
      const out: { targetGroup: string; health: TargetHealthView | undefined }[] = [];
      for (const other of candidates) {
        const name = other.service.name;
        if (!selectors.has(name)) {
          const service = await deps.state.mirror.getObject(binding.cluster, 'Service', namespace, name);
          selectors.set(name, service?.spec.selector);
        }
        const selector = selectors.get(name);
        if (selector === undefined || selector === null || !matchesEquality(pod.metadata.labels, selector))
          continue;
        let actual = described.get(other.targetGroupArn);
        if (actual === undefined) {
          actual = deps.elbv2.describeTargets(other.targetGroupArn);
          described.set(other.targetGroupArn, actual);
        }
        const entry = [...healthByTarget(await actual)].find(([key]) => key.startsWith(`${ip}:`));
        out.push({ targetGroup: other.targetGroupArn, health: entry?.[1] });
      }
      return out;
    },
  };
}

/**
 * One delayed re-check per key at a time: the claim in the work-queue item stops a burst of
 * passes from each sending one. The delay is the target group's health-check interval.
 */
export async function scheduleRecheck(
  deps: TargetsDeps,
  binding: Binding,
  intervalSeconds: number | undefined,
): Promise<boolean> {
  if (deps.recheck === undefined) return false;
  const delay = recheckDelay(intervalSeconds ?? DEFAULT_INTERVAL_SECONDS);
  const key = reconcileKeys.targetGroup(binding.targetGroupArn);
  if (!(await deps.state.queue.claimRecheck(key, deps.now() + delay * 1000))) return false;
  try {
    await deps.recheck.send(
      { version: 1, cluster: binding.cluster, targetGroupArn: binding.targetGroupArn },
      delay,
    );
  } catch (error) {
    // let the next pass claim it again rather than wait out a re-check that was never sent
    await deps.state.queue.clearRecheck(key).catch(() => undefined);
    throw error;
  }
  deps.metrics.addMetric(TARGETS_METRICS.rechecks, MetricUnit.Count, 1);
  return true;
}

import type { Pod, PodCondition } from '../k8s/objects.js';

/**
 * Pod readiness gates slbc answers, and the condition each should carry. Pure.
 *
 * A pod opts in with a readiness gate `slbc.k8s.aws/target-health`, or with a gate of the
 * LBC's prefix `target-health.elbv2.k8s.aws/<name>` so pods migrated from the LBC keep
 * rolling. slbc has no TargetGroupBinding objects, so every gate it answers means the same:
 * the pod is registered and `healthy` in every target group that selects it. The condition is
 * the LBC's (conformance 24): True when healthy, False with the ELB reason and description for
 * any other state, Unknown when there is no health to read; a target just registered reads as
 * `initial` / Elb.RegistrationInProgress. Kubernetes keeps the pod not Ready (and a rolling
 * update waiting) until the condition is True.
 */
export const SLBC_GATE = 'slbc.k8s.aws/target-health';
export const LBC_GATE_PREFIX = 'target-health.elbv2.k8s.aws/';

/** ELBv2's TargetHealth as DescribeTargetHealth returns it. */
export interface TargetHealthView {
  state: string;
  reason?: string;
  description?: string;
}

/** What a freshly registered target reads as, before DescribeTargetHealth shows it (the LBC's). */
export const REGISTRATION_IN_PROGRESS: TargetHealthView = {
  state: 'initial',
  reason: 'Elb.RegistrationInProgress',
  description: 'Target registration is in progress',
};

export interface GateCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** The gate condition types on the pod that slbc answers, in the pod's order. */
export function targetHealthGates(pod: Pod): string[] {
  return (pod.spec?.readinessGates ?? [])
    .map((gate) => gate.conditionType)
    .filter((type) => type === SLBC_GATE || type.startsWith(LBC_GATE_PREFIX));
}

/** One target group's health as a condition: the LBC's mapping. */
export function conditionFromHealth(type: string, health: TargetHealthView | undefined): GateCondition {
  if (health === undefined) return { type, status: 'Unknown' };
  if (health.state === 'healthy') return { type, status: 'True' };
  return {
    type,
    status: 'False',
    ...(health.reason === undefined ? {} : { reason: health.reason }),
    ...(health.description === undefined ? {} : { message: health.description }),
  };
}

/**
 * The pod's health across every target group that selects it, each named: True only when
 * all are healthy; otherwise the first target group (by name) that is not, its reason, and
 * the message prefixed with that target group so the user knows which one holds the pod.
 * With no target group at all nothing can be judged: Unknown.
 */
export function combinedCondition(
  type: string,
  perTargetGroup: readonly { targetGroup: string; health: TargetHealthView | undefined }[],
): GateCondition {
  if (perTargetGroup.length === 0) {
    return { type, status: 'Unknown', reason: 'NoTargetGroup', message: 'no target group selects this pod' };
  }
  const sorted = [...perTargetGroup].sort((a, b) => (a.targetGroup < b.targetGroup ? -1 : 1));
  const holding = sorted.find((entry) => entry.health?.state !== 'healthy');
  if (holding === undefined) return { type, status: 'True' };
  const condition = conditionFromHealth(type, holding.health);
  if (sorted.length === 1) return condition;
  const why =
    condition.message ?? (holding.health === undefined ? 'no target health yet' : holding.health.state);
  return { ...condition, message: `target group ${holding.targetGroup}: ${why}` };
}

/**
 * The conditions to patch onto the pod, or none when each is already as wanted (same status,
 * reason and message): a patch costs an API call and an audit line. `lastTransitionTime` moves
 * only when the status changes, as Kubernetes defines it.
 */
export function gatePatch(pod: Pod, wanted: readonly GateCondition[], nowIso: string): PodCondition[] {
  const current = new Map((pod.status?.conditions ?? []).map((c) => [c.type, c]));
  const out: PodCondition[] = [];
  for (const condition of wanted) {
    const before = current.get(condition.type);
    const same =
      before !== undefined &&
      before.status === condition.status &&
      (before.reason ?? undefined) === condition.reason &&
      (before.message ?? undefined) === condition.message;
    if (same) continue;
    const transitioned = before === undefined || before.status !== condition.status;
    out.push({
      ...condition,
      lastTransitionTime: transitioned ? nowIso : (before.lastTransitionTime ?? nowIso),
    });
  }
  return out;
}

/** A gated pod whose condition is not True needs its health read again later. */
export function needsRecheck(conditions: readonly GateCondition[]): boolean {
  return conditions.some((condition) => condition.status !== 'True');
}

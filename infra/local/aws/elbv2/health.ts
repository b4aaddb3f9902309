/**
 * Target health as a state machine on the service clock. Nothing runs in the background:
 * each target remembers when its checks started and what the last observed checks said, and
 * its state is brought up to date whenever someone looks (DescribeTargetHealth, the routing
 * probe, dump). Checks fall at fixed instants (anchor + n × interval), so the result is exact
 * under virtual time, and observing 1,000 targets costs 1,000 small updates.
 *
 * The health probe is sampled when health is observed; its answer is taken to have held for
 * every check since the previous observation. setHealthProbe settles all targets with the old
 * probe first, so swapping probes is exact too.
 *
 *   registered ──(TG in use)──> initial ──ok × HealthyThreshold──> healthy
 *                                  │                                 │ fail × UnhealthyThreshold
 *                                  └─fail × UnhealthyThreshold──> unhealthy <─┘  (ok × Healthy → healthy)
 *   deregistered ──> draining for deregistration_delay.timeout_seconds ──> gone
 *   TG used by no listener or rule ──> unused (Target.NotInUse); back in use ──> initial again
 *
 * World timing (setWorldTiming, default all 0 = exact): each target's checks are shifted by a
 * phase in [0, healthCheckJitterMs] (capped below the interval) drawn from a hash of the group
 * and target, as ELB nodes check independently of registration time; a new load balancer is
 * `provisioning` for provisioningMs, then `active`.
 */
import type {
  Elbv2State,
  HealthTracker,
  LoadBalancerRecord,
  TargetGroupRecord,
  TargetRecord,
} from './state.js';

export interface WorldTiming {
  /** CreateLoadBalancer → State `active`, clock ms (AWS: a few minutes) */
  provisioningMs: number;
  /** at most this much clock time added to each target's check instants */
  healthCheckJitterMs: number;
}

const EXACT: WorldTiming = Object.freeze({ provisioningMs: 0, healthCheckJitterMs: 0 });
// Kept beside the state rather than in it: only the realistic world sets it.
const timings = new WeakMap<Elbv2State, WorldTiming>();

export function setWorldTiming(state: Elbv2State, timing: Partial<WorldTiming>): WorldTiming {
  const next = { ...worldTiming(state), ...timing };
  for (const field of ['provisioningMs', 'healthCheckJitterMs'] as const)
    if (!Number.isFinite(next[field]) || next[field] < 0)
      throw new Error(`ELBv2 world timing: ${field}: must be a number >= 0 (got ${next[field]})`);
  settleAll(state);
  timings.set(state, next);
  return { ...next };
}

export function worldTiming(state: Elbv2State): WorldTiming {
  return timings.get(state) ?? EXACT;
}

/** `provisioning` until provisioningMs after creation, then `active` */
export function loadBalancerStateCode(
  state: Elbv2State,
  balancer: LoadBalancerRecord,
  now: number,
): 'provisioning' | 'active' {
  return now < balancer.createdAt.getTime() + worldTiming(state).provisioningMs ? 'provisioning' : 'active';
}

/** FNV-1a of group and target, so the phase is the same on every run */
function checkPhase(state: Elbv2State, group: TargetGroupRecord, target: TargetRecord): number {
  const jitter = Math.min(
    worldTiming(state).healthCheckJitterMs,
    group.healthCheck.intervalSeconds * 1000 - 1,
  );
  if (jitter <= 0) return 0;
  let hash = 2166136261;
  for (const ch of `${group.arn}/${target.id}/${target.port ?? ''}`)
    hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  return hash % (jitter + 1);
}

export interface TargetHealth {
  State: 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';
  Reason?: string;
  Description?: string;
}

export function newTracker(group: TargetGroupRecord, now: number): HealthTracker {
  return {
    epoch: group.usageEpoch,
    anchorAt: Math.max(now, group.inUseSince ?? now),
    checksDone: 0,
    state: 'initial',
    consecutiveOk: 0,
    consecutiveFail: 0,
  };
}

/** Runs the checks that have fallen due since the last observation. */
export function settle(state: Elbv2State, group: TargetGroupRecord, target: TargetRecord, now: number): void {
  if (group.inUseSince === undefined || !group.healthCheck.enabled) return;
  let tracker = target.health;
  if (tracker.epoch !== group.usageEpoch) {
    tracker = target.health = newTracker(group, Math.max(target.registeredAt, group.inUseSince));
  }
  const intervalMs = group.healthCheck.intervalSeconds * 1000;
  const due = Math.floor((now - tracker.anchorAt - checkPhase(state, group, target)) / intervalMs);
  const newChecks = due - tracker.checksDone;
  if (newChecks <= 0) return;
  tracker.checksDone = due;
  if (state.probe(group, target)) {
    tracker.consecutiveOk += newChecks;
    tracker.consecutiveFail = 0;
    if (tracker.consecutiveOk >= group.healthCheck.healthyThreshold) tracker.state = 'healthy';
  } else {
    tracker.consecutiveFail += newChecks;
    tracker.consecutiveOk = 0;
    if (tracker.consecutiveFail >= group.healthCheck.unhealthyThreshold) tracker.state = 'unhealthy';
  }
}

/** Re-anchors trackers after the interval changes, keeping the checks already counted. */
export function reanchor(group: TargetGroupRecord, previousIntervalSeconds: number): void {
  for (const target of group.targets.values()) {
    const tracker = target.health;
    tracker.anchorAt += tracker.checksDone * previousIntervalSeconds * 1000;
    tracker.checksDone = 0;
  }
}

// Shared, frozen answers: describing 1,000 targets allocates no health objects.
const DRAINING: TargetHealth = Object.freeze({
  State: 'draining',
  Reason: 'Target.DeregistrationInProgress',
  Description: 'Target deregistration is in progress',
});
const UNUSED: TargetHealth = Object.freeze({
  State: 'unused',
  Reason: 'Target.NotInUse',
  Description: 'Target group is not configured to receive traffic from the load balancer',
});
const UNAVAILABLE: TargetHealth = Object.freeze({
  State: 'unavailable',
  Reason: 'Target.HealthCheckDisabled',
  Description: 'Health checks are disabled',
});
const HEALTHY: TargetHealth = Object.freeze({ State: 'healthy' });
const RESPONSE_CODE_MISMATCH: TargetHealth = Object.freeze({
  State: 'unhealthy',
  Reason: 'Target.ResponseCodeMismatch',
  Description: 'Health checks failed with these codes: [503]',
});
const TIMEOUT: TargetHealth = Object.freeze({
  State: 'unhealthy',
  Reason: 'Target.Timeout',
  Description: 'Request timed out',
});
const REGISTERING: TargetHealth = Object.freeze({
  State: 'initial',
  Reason: 'Elb.RegistrationInProgress',
  Description: 'Target registration is in progress',
});
const CHECKING: TargetHealth = Object.freeze({
  State: 'initial',
  Reason: 'Elb.InitialHealthChecking',
  Description: 'Initial health checks in progress',
});

export function targetHealth(
  state: Elbv2State,
  group: TargetGroupRecord,
  target: TargetRecord,
  now: number,
): TargetHealth {
  if (target.drainingUntil !== undefined) return DRAINING;
  if (group.inUseSince === undefined) return UNUSED;
  if (!group.healthCheck.enabled) return UNAVAILABLE;
  settle(state, group, target, now);
  const tracker = target.health;
  if (tracker.state === 'healthy') return HEALTHY;
  if (tracker.state === 'unhealthy') {
    const http = group.healthCheck.protocol === 'HTTP' || group.healthCheck.protocol === 'HTTPS';
    return http ? RESPONSE_CODE_MISMATCH : TIMEOUT;
  }
  return tracker.checksDone === 0 ? REGISTERING : CHECKING;
}

/** Drops targets whose deregistration delay has run out. */
export function purgeDrained(group: TargetGroupRecord, now: number): void {
  if (group.drainingCount === 0) return;
  for (const [key, target] of group.targets) {
    if (target.drainingUntil !== undefined && target.drainingUntil <= now) {
      group.targets.delete(key);
      group.drainingCount--;
    }
  }
}

/** Settles every target of every group; used before the probe is replaced. */
export function settleAll(state: Elbv2State): void {
  const now = state.ctx.clock.now();
  for (const group of state.targetGroups.values())
    for (const target of group.targets.values())
      if (target.drainingUntil === undefined) settle(state, group, target, now);
}

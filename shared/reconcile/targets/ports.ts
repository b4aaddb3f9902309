import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Elbv2Targets, TargetGroupInfo } from '../../aws/elbv2-targets.js';
import type { RecheckQueue } from '../../aws/recheck-queue.js';
import type { Config } from '../../config.js';
import type { KubeApi } from '../../kube/kube-api.js';
import type { State } from '../../state/index.js';
import type { ObjectFetcher } from '../stacks/fetch.js';
import type { TargetHealthCache } from './health-read.js';

/** Everything the targets function touches, injectable for tests (wired in functions/targets/deps.ts). */
export interface TargetsDeps {
  state: State;
  elbv2: Elbv2Targets;
  config: Pick<Config, 'clusters' | 'leaseSeconds'>;
  /** epoch ms */
  now: () => number;
  /** a fresh lease owner per invocation */
  newOwner: () => string;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  metrics: Pick<Metrics, 'addMetric'>;
  /**
   * When events keep arriving during a pass, the lease holder waits until they pause for
   * `quietMs`, at most `settleMs`, before the next pass, so a burst (a rollout, a delayed audit
   * batch) becomes a few ELBv2 calls. An isolated event is reconciled at once. Well under the lease.
   */
  settleMs: number;
  quietMs: number;
  /** target group facts that do not change (VPC, type) and the cluster tag, per process */
  targetGroupCache: Map<string, { info: TargetGroupInfo; until: number }>;
  /** the last health read per target group (health-read.ts); without it every pass reads the whole group */
  targetHealthCache?: TargetHealthCache;
  /** readiness gates: the cluster's Kubernetes API for pods/status; without it gates are not answered */
  gates?: { kubeApiFor(cluster: string): Promise<Pick<KubeApi, 'patchPodConditions'>> };
  /** the delayed re-check of targets not yet healthy (an SQS delay queue); without it none is sent */
  recheck?: RecheckQueue;
  /**
   * One object from the Kubernetes API (undefined: it does not exist), for a change that came
   * without its body (`needsResync`); without it such a change is recorded as an error (fetch.ts)
   */
  fetchObject?: ObjectFetcher;
}

/** Metric names, documented in docs/targets.md. */
export const TARGETS_METRICS = {
  reconciles: 'TargetsReconciles',
  coalesced: 'TargetsEventsCoalesced',
  registered: 'TargetsRegistered',
  deregistered: 'TargetsDeregistered',
  lag: 'TargetsRegistrationLag',
  errors: 'TargetsBindingErrors',
  rejected: 'TargetsEventsRejected',
  gatesPatched: 'TargetsGateConditionsPatched',
  rechecks: 'TargetsRechecksScheduled',
  leaseLost: 'TargetsLeaseLost',
} as const;

/** Burst settling of the lease holder, overridable by SLBC_TARGETS_SETTLE_MS and SLBC_TARGETS_QUIET_MS. */
export function targetsSettling(env: Record<string, string | undefined>): {
  settleMs: number;
  quietMs: number;
} {
  return {
    settleMs: Number(env['SLBC_TARGETS_SETTLE_MS'] ?? 5000),
    quietMs: Number(env['SLBC_TARGETS_QUIET_MS'] ?? 500),
  };
}

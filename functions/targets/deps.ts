import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import {
  createElbv2Targets,
  type Elbv2Targets,
  type TargetGroupInfo,
} from '../../shared/aws/elbv2-targets.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { ec2Client } from '../../shared/aws/sdk/ec2.js';
import { elbv2Client } from '../../shared/aws/sdk/elbv2.js';
import { type Config, loadConfig } from '../../shared/config.js';
import { logger, metrics } from '../../shared/observability.js';
import { openState, type State } from '../../shared/state/index.js';

/** Everything the targets function touches, injectable for tests. */
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
} as const;

export function defaultDeps(): TargetsDeps {
  const config = loadConfig();
  return {
    state: openState(dynamodbClient(), config.tableName, { historyDays: config.historyDays }),
    elbv2: createElbv2Targets({ elbv2: elbv2Client(), ec2: ec2Client() }),
    config,
    now: Date.now,
    newOwner: randomUUID,
    settleMs: Number(process.env['SLBC_TARGETS_SETTLE_MS'] ?? 5000),
    quietMs: Number(process.env['SLBC_TARGETS_QUIET_MS'] ?? 500),
    logger,
    metrics,
    targetGroupCache: new Map(),
  };
}

import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { defaultClients } from '../../shared/aws/clients.js';
import {
  createElbv2Targets,
  type Elbv2Targets,
  type TargetGroupInfo,
} from '../../shared/aws/elbv2-targets.js';
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
  const clients = defaultClients();
  return {
    state: openState(clients.dynamodb, config.tableName, { historyDays: config.historyDays }),
    elbv2: createElbv2Targets(clients),
    config,
    now: Date.now,
    newOwner: randomUUID,
    logger,
    metrics,
    targetGroupCache: new Map(),
  };
}

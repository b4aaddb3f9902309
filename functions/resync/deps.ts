import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MetricUnit } from '@aws-lambda-powertools/metrics/types';
import {
  createEventPublisher,
  type EventPublisher,
  eventBridgeSender,
} from '../../shared/aws/event-publisher.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { eksClient } from '../../shared/aws/sdk/eks.js';
import { eventsClient } from '../../shared/aws/sdk/events.js';
import { type Config, loadConfig } from '../../shared/config.js';
import { eksKubeApi } from '../../shared/k8s/eks-kube-api.js';
import type { KubeApi } from '../../shared/k8s/kube-api.js';
import { logger, metrics } from '../../shared/observability.js';
import { openState, type State } from '../../shared/state/index.js';

/** Everything resync touches, injectable for tests. */
export interface ResyncDeps {
  state: State;
  publisher: EventPublisher;
  /** the Kubernetes API of one cluster, authenticated */
  kubeApiFor: (cluster: string) => Promise<KubeApi>;
  config: Pick<Config, 'clusters'>;
  /** epoch ms */
  now: () => number;
  newRunId: () => string;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** narrower than Powertools' Metrics so tests can count without a stub class */
  metrics: { addMetric(name: string, unit: MetricUnit, value: number): unknown };
}

/** Metric names, documented in docs/resync.md. */
export const RESYNC_METRICS = {
  listed: 'ResyncObjectsListed',
  changes: 'ResyncChangesPublished',
  deletes: 'ResyncDeletesPublished',
  reconcileRequests: 'ResyncReconcileRequests',
  failedLists: 'ResyncFailedLists',
  invalid: 'ResyncInvalidObjects',
} as const;

export function defaultDeps(): ResyncDeps {
  const config = loadConfig();
  return {
    state: openState(dynamodbClient(), config.tableName, { historyDays: config.historyDays }),
    publisher: createEventPublisher({ sender: eventBridgeSender(eventsClient), busName: config.busName }),
    kubeApiFor: eksKubeApi(eksClient()),
    config,
    now: Date.now,
    newRunId: randomUUID,
    logger,
    metrics,
  };
}

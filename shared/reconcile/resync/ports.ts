import type { Logger } from '@aws-lambda-powertools/logger';
import type { MetricUnit } from '@aws-lambda-powertools/metrics/types';
import type { EventPublisher } from '../../aws/event-publisher.js';
import type { Config } from '../../config.js';
import type { KubeApi } from '../../kube/kube-api.js';
import type { State } from '../../state/index.js';

/** Everything resync touches, injectable for tests (wired in functions/resync/deps.ts). */
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
  held: 'ResyncChangesHeld',
  reconcileRequests: 'ResyncReconcileRequests',
  failedLists: 'ResyncFailedLists',
  invalid: 'ResyncInvalidObjects',
  selectorIndexRepairs: 'ResyncSelectorIndexRepairs',
  selectorIndexFailures: 'ResyncSelectorIndexFailures',
} as const;

import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import {
  createEventPublisher,
  type EventPublisher,
  eventBridgeSender,
} from '../../shared/aws/event-publisher.js';
import { eventsClient } from '../../shared/aws/sdk/events.js';
import { type Config, loadConfig } from '../../shared/config.js';
import { type IngestReport, ingestSubscriptionEvent } from '../../shared/events/audit-ingest.js';
import { logger as sharedLogger, metrics as sharedMetrics } from '../../shared/observability.js';

/**
 * functions/ingest: a CloudWatch Logs subscription on /aws/eks/<cluster>/cluster invokes it
 * with a batch of audit lines; it publishes the successful writes slbc follows to the bus.
 * A corrupt payload or an unpublishable batch throws, so Lambda's async retries and the
 * on-failure destination keep it; a single bad line is logged and counted, and the rest goes on.
 */

export interface IngestDeps {
  config: Pick<Config, 'clusters'>;
  publisher: EventPublisher;
  logger?: Logger;
  metrics?: Metrics;
}

export interface IngestSummary {
  cluster?: string;
  linesIn: number;
  kept: number;
  published: number;
  refused: number;
  malformed: number;
}

/** Metric names, documented in docs/ingest.md. */
export const INGEST_METRICS = {
  linesIn: 'IngestLinesIn',
  kept: 'IngestLinesKept',
  dropped: 'IngestLinesDropped',
  refused: 'IngestLinesRefused',
  malformed: 'IngestLinesMalformed',
  duplicates: 'IngestDuplicates',
  needsResync: 'IngestNeedsResync',
  published: 'IngestEventsPublished',
  retried: 'IngestPublishRetries',
  controlMessages: 'IngestControlMessages',
} as const;

function record(report: IngestReport, logger: Logger, metrics: Metrics): void {
  if (report.messageType === 'CONTROL_MESSAGE') {
    // CloudWatch Logs checking the destination is reachable: ignored, counted, never an error
    metrics.addMetric(INGEST_METRICS.controlMessages, MetricUnit.Count, 1);
    logger.info('CloudWatch Logs control message ignored', { logGroup: report.logGroup });
    return;
  }
  const dropped = Object.values(report.dropped).reduce((sum, count) => sum + count, 0);
  metrics.addMetric(INGEST_METRICS.linesIn, MetricUnit.Count, report.linesIn);
  metrics.addMetric(INGEST_METRICS.kept, MetricUnit.Count, report.kept);
  metrics.addMetric(INGEST_METRICS.dropped, MetricUnit.Count, dropped);
  metrics.addMetric(INGEST_METRICS.refused, MetricUnit.Count, report.refused);
  metrics.addMetric(INGEST_METRICS.malformed, MetricUnit.Count, report.malformed.length);
  metrics.addMetric(INGEST_METRICS.duplicates, MetricUnit.Count, report.duplicates);
  metrics.addMetric(INGEST_METRICS.needsResync, MetricUnit.Count, report.resync.length);
  for (const problem of report.malformed) logger.warn('malformed audit line skipped', { ...problem });
  for (const problem of report.resync) logger.warn('change sent metadata-only (needsResync)', { ...problem });
  if (report.refused > 0) {
    logger.error('payload refused: cluster is not served by this deployment', {
      cluster: report.cluster,
      logGroup: report.logGroup,
      lines: report.refused,
    });
  }
  const { malformed: _malformed, resync: _resync, ...counts } = report;
  logger.info('audit lines ingested', { ...counts, malformed: report.malformed.length });
}

export function createHandler(deps: IngestDeps) {
  const logger = deps.logger ?? sharedLogger;
  const metrics = deps.metrics ?? sharedMetrics;
  return middy<unknown, IngestSummary>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      const { entries, report } = ingestSubscriptionEvent(event, { clusters: deps.config.clusters });
      record(report, logger, metrics);
      const result = entries.length === 0 ? undefined : await deps.publisher.publish(entries);
      metrics.addMetric(INGEST_METRICS.published, MetricUnit.Count, result?.published ?? 0);
      metrics.addMetric(INGEST_METRICS.retried, MetricUnit.Count, result?.retried ?? 0);
      return {
        ...(report.cluster === undefined ? {} : { cluster: report.cluster }),
        linesIn: report.linesIn,
        kept: report.kept,
        published: result?.published ?? 0,
        refused: report.refused,
        malformed: report.malformed.length,
      };
    });
}

/** Production wiring: configuration from the environment, the EventBridge client on first use. */
export function defaultDeps(): IngestDeps {
  const config = loadConfig();
  return {
    config,
    publisher: createEventPublisher({
      sender: eventBridgeSender(eventsClient),
      busName: config.busName,
    }),
  };
}

export const handler = createHandler(defaultDeps());

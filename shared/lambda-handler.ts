import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, metrics } from './observability.js';

/**
 * What ties one invocation's logs and metrics to the event that caused it: the cluster, the
 * correlation id (the audit event's auditID, which ingest copied into the bus event, so one
 * pod change can be followed from the audit log to the targets and stacks logs; the bus
 * event's id for slbc's own events), and the bus event id. Nothing for other event shapes.
 */
export function correlationOf(event: unknown): {
  cluster?: string;
  correlationId?: string;
  eventId?: string;
} {
  if (typeof event !== 'object' || event === null) return {};
  const { id, detail } = event as { id?: unknown; detail?: unknown };
  if (typeof id !== 'string' || typeof detail !== 'object' || detail === null) return {};
  const { cluster, auditId } = detail as { cluster?: unknown; auditId?: unknown };
  return {
    ...(typeof cluster === 'string' && cluster !== '' ? { cluster } : {}),
    correlationId: typeof auditId === 'string' && auditId !== '' ? auditId : id,
    eventId: id,
  };
}

/**
 * The Lambda adapter every bus-driven function shares: Powertools' context logging and metric
 * flushing as middy middlewares, and dependencies built on the first invocation (not at import,
 * so a cold start that fails on configuration fails inside the invocation, where it is logged
 * and retried). Tests pass their own factory.
 */
export function lambdaHandler<Deps, Event, Result>(
  deps: () => Deps,
  run: (deps: Deps, event: Event) => Promise<Result>,
) {
  let resolved: Deps | undefined;
  return middy<Event, Result>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      resolved ??= deps();
      const keys = correlationOf(event);
      logger.appendKeys(keys);
      if (keys.cluster !== undefined) {
        // two dimension sets: {service, cluster} per cluster, and {service} that the alarms watch
        metrics.addDimensions({ cluster: keys.cluster });
        metrics.addDimensions({});
      }
      try {
        return await run(resolved, event);
      } finally {
        logger.removeKeys(Object.keys(keys));
      }
    });
}

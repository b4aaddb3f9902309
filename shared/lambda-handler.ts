import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { logger, metrics } from './observability.js';

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
      return run(resolved, event);
    });
}

import { randomUUID } from 'node:crypto';
import { createEventPublisher, eventBridgeSender } from '../../shared/aws/event-publisher.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { eksClient } from '../../shared/aws/sdk/eks.js';
import { eventsClient } from '../../shared/aws/sdk/events.js';
import { loadConfig } from '../../shared/config.js';
import { eksKubeApi } from '../../shared/kube/eks-kube-api.js';
import { logger, metrics } from '../../shared/observability.js';
import type { ResyncDeps } from '../../shared/reconcile/resync/ports.js';
import { openState } from '../../shared/state/index.js';

/** The resync function's production wiring: SDK clients, configuration from the environment. */
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

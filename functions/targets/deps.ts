import { randomUUID } from 'node:crypto';
import { createElbv2Targets } from '../../shared/aws/elbv2-targets.js';
import { sqsRecheckQueue } from '../../shared/aws/recheck-queue.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { eksClient } from '../../shared/aws/sdk/eks.js';
import { elbv2Client } from '../../shared/aws/sdk/elbv2.js';
import { sqsClient } from '../../shared/aws/sdk/sqs.js';
import { loadConfig } from '../../shared/config.js';
import { eksKubeApi } from '../../shared/kube/eks-kube-api.js';
import { logger, metrics } from '../../shared/observability.js';
import { type TargetsDeps, targetsSettling } from '../../shared/reconcile/targets/ports.js';
import { openState } from '../../shared/state/index.js';

/**
 * The targets function's production wiring: SDK clients, configuration from the environment,
 * the cluster's Kubernetes API for readiness-gate conditions and objects that came without their
 * body (needsResync), and the re-check queue
 * (SLBC_RECHECK_QUEUE_URL, set by serverless.yml).
 */
export function defaultDeps(): TargetsDeps {
  const config = loadConfig();
  const recheckQueueUrl = process.env['SLBC_RECHECK_QUEUE_URL'];
  const kubeApiFor = eksKubeApi(eksClient());
  return {
    state: openState(dynamodbClient(), config.tableName, { historyDays: config.historyDays }),
    elbv2: createElbv2Targets({ elbv2: elbv2Client() }),
    config,
    now: Date.now,
    newOwner: randomUUID,
    ...targetsSettling(process.env),
    logger,
    metrics,
    targetGroupCache: new Map(),
    targetHealthCache: new Map(),
    gates: { kubeApiFor },
    fetchObject: async (cluster, kind, namespace, name) =>
      (await kubeApiFor(cluster)).getObject?.(kind, namespace, name),
    ...(recheckQueueUrl ? { recheck: sqsRecheckQueue(sqsClient(), recheckQueueUrl) } : {}),
  };
}

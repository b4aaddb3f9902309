import { randomUUID } from 'node:crypto';
import { deferredPort, once } from '../../shared/aws/deferred.js';
import { createElbv2Targets } from '../../shared/aws/elbv2-targets.js';
import type { RecheckQueue } from '../../shared/aws/recheck-queue.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { elbv2Client } from '../../shared/aws/sdk/elbv2.js';
import { loadConfig } from '../../shared/config.js';
import { logger, metrics } from '../../shared/observability.js';
import { type TargetsDeps, targetsSettling } from '../../shared/reconcile/targets/ports.js';
import { openState } from '../../shared/state/index.js';

/** The cluster's Kubernetes API (EKS DescribeCluster, a signed token), loaded on first use. */
const loadKubeApi = once(async () => {
  const [{ eksClient }, { eksKubeApi }] = await Promise.all([
    import('../../shared/aws/sdk/eks.js'),
    import('../../shared/kube/eks-kube-api.js'),
  ]);
  return eksKubeApi(eksClient());
});

const kubeApiFor = async (cluster: string) => (await loadKubeApi())(cluster);

/** The delayed re-check queue, sent to only while a gated pod is not yet healthy. */
const recheckPort = (queueUrl: string) =>
  deferredPort<RecheckQueue>(
    async () => {
      const [{ sqsRecheckQueue }, { sqsClient }] = await Promise.all([
        import('../../shared/aws/recheck-queue.js'),
        import('../../shared/aws/sdk/sqs.js'),
      ]);
      return sqsRecheckQueue(sqsClient(), queueUrl);
    },
    { send: true },
  );

/**
 * The targets function's production wiring: DynamoDB and ELBv2, which every invocation calls,
 * are built at once; the cluster's Kubernetes API (readiness-gate conditions, objects that came
 * without their body: needsResync) and the re-check queue (SLBC_RECHECK_QUEUE_URL, set by
 * serverless.yml) are imported on their first call (shared/aws/deferred.ts).
 */
export function defaultDeps(): TargetsDeps {
  const config = loadConfig();
  const recheckQueueUrl = process.env['SLBC_RECHECK_QUEUE_URL'];
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
    ...(recheckQueueUrl ? { recheck: recheckPort(recheckQueueUrl) } : {}),
  };
}

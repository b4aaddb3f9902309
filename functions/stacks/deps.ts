import { randomUUID } from 'node:crypto';
import { createEc2Stacks } from '../../shared/aws/ec2-stacks.js';
import { eksClusters } from '../../shared/aws/eks-cluster.js';
import { createElbv2Stacks } from '../../shared/aws/elbv2-stacks.js';
import { createEventPublisher, eventBridgeSender } from '../../shared/aws/event-publisher.js';
import { createLoadBalancerAddons } from '../../shared/aws/lb-addons.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { ec2Client } from '../../shared/aws/sdk/ec2.js';
import { eksClient } from '../../shared/aws/sdk/eks.js';
import { elbv2Client } from '../../shared/aws/sdk/elbv2.js';
import { eventsClient } from '../../shared/aws/sdk/events.js';
import { shieldClient } from '../../shared/aws/sdk/shield.js';
import { wafv2Client } from '../../shared/aws/sdk/wafv2.js';
import { loadConfig } from '../../shared/config.js';
import { eksKubeApi } from '../../shared/kube/eks-kube-api.js';
import { kubeEventRecorder } from '../../shared/kube/event-recorder.js';
import { kubeStatusWriter } from '../../shared/kube/status-writer.js';
import { logger, metrics } from '../../shared/observability.js';
import { kubeClassParamsSource } from '../../shared/reconcile/stacks/class-params-source.js';
import { kubeSecretSource } from '../../shared/reconcile/stacks/oidc-secrets.js';
import type { StacksDeps } from '../../shared/reconcile/stacks/ports.js';
import { openState } from '../../shared/state/index.js';

/**
 * The stacks function's production wiring: SDK clients, configuration from the environment, and
 * one DescribeCluster cache shared by the VPC lookup and the status writer's Kubernetes API.
 */
export function defaultDeps(): StacksDeps {
  const config = loadConfig();
  const eks = eksClient();
  const clusters = eksClusters(eks);
  const kubeApiFor = eksKubeApi(eks, { clusters });
  return {
    state: openState(dynamodbClient(), config.tableName, { historyDays: config.historyDays }),
    elbv2: createElbv2Stacks(elbv2Client()),
    ec2: createEc2Stacks(ec2Client()),
    addons: createLoadBalancerAddons({ wafv2: wafv2Client(), shield: shieldClient() }),
    secrets: kubeSecretSource(eksKubeApi(eks, { clusters })),
    classParams: kubeClassParamsSource(kubeApiFor),
    publisher: createEventPublisher({
      sender: eventBridgeSender(eventsClient),
      busName: config.busName,
    }),
    clusterVpc: clusters.vpcId,
    statusWriter: kubeStatusWriter(kubeApiFor),
    fetchObject: async (cluster, kind, namespace, name) =>
      (await kubeApiFor(cluster)).getObject?.(kind, namespace, name),
    // the function's log stream names the instance, as a controller pod's name would
    events: kubeEventRecorder(kubeApiFor, {
      now: Date.now,
      instance: process.env['AWS_LAMBDA_LOG_STREAM_NAME'] ?? 'slbc-stacks',
    }),
    config,
    now: Date.now,
    newOwner: randomUUID,
    logger,
    metrics,
  };
}

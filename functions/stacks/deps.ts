import { randomUUID } from 'node:crypto';
import { deferredPort, once } from '../../shared/aws/deferred.js';
import type { Ec2Stacks } from '../../shared/aws/ec2-stacks.js';
import { createElbv2Stacks } from '../../shared/aws/elbv2-stacks.js';
import type { LoadBalancerAddons } from '../../shared/aws/lb-addons.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { elbv2Client } from '../../shared/aws/sdk/elbv2.js';
import { loadConfig } from '../../shared/config.js';
import { kubeEventRecorder } from '../../shared/kube/event-recorder.js';
import { kubeStatusWriter } from '../../shared/kube/status-writer.js';
import { logger, metrics } from '../../shared/observability.js';
import { kubeClassParamsSource } from '../../shared/reconcile/stacks/class-params-source.js';
import { kubeSecretSource } from '../../shared/reconcile/stacks/oidc-secrets.js';
import type { StacksDeps } from '../../shared/reconcile/stacks/ports.js';
import { openState } from '../../shared/state/index.js';

/**
 * The EKS side of stacks, loaded on first use: one DescribeCluster cache shared by the VPC
 * lookup and the Kubernetes API of the status writer, events and class params; the OIDC secrets
 * keep their own token cache, as before.
 */
const loadEks = once(async () => {
  const [{ eksClient }, { eksClusters }, { eksKubeApi }] = await Promise.all([
    import('../../shared/aws/sdk/eks.js'),
    import('../../shared/aws/eks-cluster.js'),
    import('../../shared/kube/eks-kube-api.js'),
  ]);
  const eks = eksClient();
  const clusters = eksClusters(eks);
  return {
    clusters,
    kubeApiFor: eksKubeApi(eks, { clusters }),
    secretsApiFor: eksKubeApi(eks, { clusters }),
  };
});

const kubeApiFor = async (cluster: string) => (await loadEks()).kubeApiFor(cluster);

/** EC2 is read for subnets, security groups and VPC CIDRs: not by every invocation. */
const ec2Port = () =>
  deferredPort<Ec2Stacks>(
    async () => {
      const [{ createEc2Stacks }, { ec2Client }] = await Promise.all([
        import('../../shared/aws/ec2-stacks.js'),
        import('../../shared/aws/sdk/ec2.js'),
      ]);
      return createEc2Stacks(ec2Client());
    },
    { subnets: true, securityGroupsOfVpc: true, vpcCidrs: true, findSecurityGroups: true, apply: true },
  );

/** WAFv2 and Shield are called only for load balancers whose model asks for them. */
const addonsPort = () =>
  deferredPort<LoadBalancerAddons>(
    async () => {
      const [{ createLoadBalancerAddons }, { wafv2Client }, { shieldClient }] = await Promise.all([
        import('../../shared/aws/lb-addons.js'),
        import('../../shared/aws/sdk/wafv2.js'),
        import('../../shared/aws/sdk/shield.js'),
      ]);
      return createLoadBalancerAddons({ wafv2: wafv2Client(), shield: shieldClient() });
    },
    { webAclFor: true, protectionFor: true, shieldSubscribed: true, apply: true },
  );

/** PutEvents: the publisher and its EventBridge client, loaded with the first publish. */
const publisherPort = (busName: string) =>
  deferredPort<StacksDeps['publisher']>(
    async () => {
      const [{ createEventPublisher, eventBridgeSender }, { eventsClient }] = await Promise.all([
        import('../../shared/aws/event-publisher.js'),
        import('../../shared/aws/sdk/events.js'),
      ]);
      return createEventPublisher({ sender: eventBridgeSender(eventsClient), busName });
    },
    { publish: true },
  );

/**
 * The stacks function's production wiring: DynamoDB and ELBv2, which every invocation calls, are
 * built at once; EC2, WAFv2, Shield, EKS (the cluster's VPC and Kubernetes API) and EventBridge
 * are imported on their first call (shared/aws/deferred.ts), so a cold start compiles only the
 * code its first invocation runs.
 */
export function defaultDeps(): StacksDeps {
  const config = loadConfig();
  return {
    state: openState(dynamodbClient(), config.tableName, { historyDays: config.historyDays }),
    elbv2: createElbv2Stacks(elbv2Client()),
    ec2: ec2Port(),
    addons: addonsPort(),
    secrets: kubeSecretSource(async (cluster) => (await loadEks()).secretsApiFor(cluster)),
    classParams: kubeClassParamsSource(kubeApiFor),
    publisher: publisherPort(config.busName),
    clusterVpc: async (cluster) => (await loadEks()).clusters.vpcId(cluster),
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

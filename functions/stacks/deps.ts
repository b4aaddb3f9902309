import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { createEc2Stacks, type Ec2Stacks } from '../../shared/aws/ec2-stacks.js';
import { createElbv2Stacks, type Elbv2Stacks, translateStackError } from '../../shared/aws/elbv2-stacks.js';
import {
  createEventPublisher,
  type EventPublisher,
  eventBridgeSender,
} from '../../shared/aws/event-publisher.js';
import { dynamodbClient } from '../../shared/aws/sdk/dynamodb.js';
import { ec2Client } from '../../shared/aws/sdk/ec2.js';
import { eksClient } from '../../shared/aws/sdk/eks.js';
import { elbv2Client } from '../../shared/aws/sdk/elbv2.js';
import { eventsClient } from '../../shared/aws/sdk/events.js';
import { type Config, loadConfig } from '../../shared/config.js';
import { NotFoundError } from '../../shared/errors.js';
import { eksKubeApi } from '../../shared/k8s/eks-kube-api.js';
import type { MemberRef } from '../../shared/model/stack.js';
import { logger, metrics } from '../../shared/observability.js';
import { openState, type State } from '../../shared/state/index.js';
import { kubeStatusWriter } from './status-writer.js';

/**
 * Writes `status.loadBalancer.ingress[].hostname` of an Ingress or Service through the Kubernetes
 * API (a status patch). `hostname` undefined clears it. Optional: without one, status goes to
 * DynamoDB only (state.status), which `slbc status` reads.
 */
export interface StatusWriter {
  setHostname(cluster: string, object: MemberRef, hostname: string | undefined): Promise<void>;
}

/** Everything the stacks function touches, injectable for tests. */
export interface StacksDeps {
  state: State;
  elbv2: Elbv2Stacks;
  ec2: Ec2Stacks;
  publisher: EventPublisher;
  /** the cluster's VPC (EKS DescribeCluster), cached per process */
  clusterVpc(cluster: string): Promise<string>;
  config: Pick<
    Config,
    'clusters' | 'leaseSeconds' | 'ingressClass' | 'defaultTargetType' | 'defaultScheme' | 'serviceClaim'
  > & { ruleQuota?: number };
  statusWriter?: StatusWriter;
  /** plan and log, change nothing in AWS (a dry run) */
  planOnly?: boolean;
  now: () => number;
  newOwner: () => string;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  metrics: Pick<Metrics, 'addMetric'>;
}

/** Metric names, documented in docs/stacks.md. */
export const STACKS_METRICS = {
  reconciles: 'StacksReconciles',
  changes: 'StacksChanges',
  memberErrors: 'StacksMemberErrors',
  rejected: 'StacksEventsRejected',
} as const;

export function eksClusterVpc(eks: EKSClient): (cluster: string) => Promise<string> {
  const cache = new Map<string, string>();
  return async (cluster) => {
    const cached = cache.get(cluster);
    if (cached) return cached;
    let vpcId: string | undefined;
    try {
      const result = await eks.send(new DescribeClusterCommand({ name: cluster }));
      vpcId = result.cluster?.resourcesVpcConfig?.vpcId;
    } catch (error) {
      throw translateStackError(error, 'DescribeCluster', cluster);
    }
    if (!vpcId)
      throw new NotFoundError(`EKS cluster ${cluster} has no VPC`, {
        subject: { kind: 'Cluster', name: cluster },
      });
    cache.set(cluster, vpcId);
    return vpcId;
  };
}

export function defaultDeps(): StacksDeps {
  const config = loadConfig();
  return {
    state: openState(dynamodbClient(), config.tableName, { historyDays: config.historyDays }),
    elbv2: createElbv2Stacks(elbv2Client()),
    ec2: createEc2Stacks(ec2Client()),
    publisher: createEventPublisher({
      sender: eventBridgeSender(eventsClient),
      busName: config.busName,
    }),
    clusterVpc: eksClusterVpc(eksClient()),
    statusWriter: kubeStatusWriter(eksKubeApi(eksClient())),
    config,
    now: Date.now,
    newOwner: randomUUID,
    logger,
    metrics,
  };
}

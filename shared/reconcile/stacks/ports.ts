import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Ec2Stacks } from '../../aws/ec2-stacks.js';
import type { Elbv2Stacks } from '../../aws/elbv2-stacks.js';
import type { EventPublisher } from '../../aws/event-publisher.js';
import type { LoadBalancerAddons } from '../../aws/lb-addons.js';
import type { Config } from '../../config.js';
import type { EventRecorder } from '../../kube/event-recorder.js';
import type { StatusWriter } from '../../kube/status-writer.js';
import type { State } from '../../state/index.js';
import type { ClassParamsSource } from './class-params-source.js';
import type { ObjectFetcher } from './fetch.js';
import type { SecretSource } from './oidc-secrets.js';

export type { StatusWriter } from '../../kube/status-writer.js';

/** Everything the stacks function touches, injectable for tests (wired in functions/stacks/deps.ts). */
export interface StacksDeps {
  state: State;
  elbv2: Elbv2Stacks;
  ec2: Ec2Stacks;
  /** WAFv2 web ACL and Shield protection; without it a model that sets them gets a plan error */
  addons?: LoadBalancerAddons;
  /** Secrets through the Kubernetes API, for OIDC client credentials; without it OIDC members fail closed */
  secrets?: SecretSource;
  /** IngressClassParams and namespace labels; without it a class referencing params refuses its Ingresses */
  classParams?: ClassParamsSource;
  publisher: EventPublisher;
  /** the cluster's VPC (EKS DescribeCluster), cached per process */
  clusterVpc(cluster: string): Promise<string>;
  config: Pick<
    Config,
    | 'clusters'
    | 'leaseSeconds'
    | 'ingressClass'
    | 'defaultTargetType'
    | 'defaultScheme'
    | 'serviceClaim'
    | 'groupNamespaces'
    | 'defaultTags'
    | 'clusterSettings'
  > & { ruleQuota?: number };
  statusWriter?: StatusWriter;
  /**
   * One object from the Kubernetes API (undefined: it does not exist), for a change that came
   * without its body (`needsResync`); without it such a change is recorded as an error (fetch.ts)
   */
  fetchObject?: ObjectFetcher;
  /** Kubernetes Events on Ingresses and Services (optional, like the status writer) */
  events?: EventRecorder;
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

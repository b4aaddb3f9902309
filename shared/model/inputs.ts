import type { Config } from '../config.js';
import type { Scheme } from './stack.js';

/**
 * Facts the model needs beyond the Kubernetes objects, discovered by the caller (EC2, EKS, the
 * state table) and passed in, so that the model itself stays pure.
 */

export interface DiscoveredSubnet {
  subnetId: string;
  availabilityZone: string;
  cidrBlock?: string;
  /** all EC2 tags of the subnet, including `Name` and `kubernetes.io/...` */
  tags: Record<string, string>;
  /** subnets with fewer than 8 free addresses are skipped, as the LBC does; absent = enough */
  availableIpAddressCount?: number;
}

/** A security group of the VPC, to resolve `security-groups` annotation values given as Name tags. */
export interface DiscoveredSecurityGroup {
  groupId: string;
  tags: Record<string, string>;
}

/** A load balancer that already carries this stack's tags (found by the deploy side). */
export interface ExistingLoadBalancer {
  scheme: Scheme;
  subnetIds: string[];
  /**
   * Its security group IDs. `[]` on an NLB means it was created without any (the LBC before
   * v2.6, or with NLBSecurityGroup off): AWS never lets one be added, so it is adopted as it is.
   */
  securityGroups?: string[];
}

export interface ModelEnvironment {
  clusterName: string;
  vpcId: string;
  /** the VPC's subnets (all of them: discovery filters by tags, the annotation resolves IDs and names) */
  subnets: DiscoveredSubnet[];
  config: Pick<Config, 'ingressClass' | 'defaultTargetType' | 'defaultScheme' | 'serviceClaim'>;
  /** the VPC's security groups; only needed when an annotation names groups by their Name tag */
  securityGroups?: DiscoveredSecurityGroup[];
  /** `--default-ssl-policy`; ELBSecurityPolicy-2016-08 when absent */
  defaultSslPolicy?: string;
  /**
   * A shared backend security group to attach to every load balancer and use as the traffic source
   * in bindings (the LBC's `k8s-traffic-<cluster>-<hash>` when migrating). Absent: the managed
   * frontend group is the source.
   */
  backendSecurityGroupId?: string;
  /** rules per ALB (AWS default quota 100, excluding default rules) */
  ruleQuota?: number;
  /** unique target groups per ALB (AWS default quota 100) */
  targetGroupQuota?: number;
  /** the LB this stack already has, if any: its subnets are reused when the scheme is unchanged (as the LBC) */
  existingLoadBalancer?: ExistingLoadBalancer;
  /**
   * Who may join an explicit Ingress group: `same` (default) only Ingresses in the namespace of the
   * group's oldest member; `any` every namespace, as the LBC without IngressClassParams.
   */
  groupNamespaces?: 'same' | 'any';
  /**
   * The deployment's `defaultTags` (the LBC's --default-tags), put on every load balancer, listener,
   * rule, target group and security group. They win over annotation tags, as in the LBC; the
   * tracking tags (TAG_KEYS) win over both.
   */
  defaultTags?: Record<string, string>;
}

export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';
export const DEFAULT_RULE_QUOTA = 100;
export const DEFAULT_TARGET_GROUP_QUOTA = 100;
export const ALB_CONTROLLER = 'ingress.k8s.aws/alb';
export const NLB_LOAD_BALANCER_CLASS = 'service.k8s.aws/nlb';

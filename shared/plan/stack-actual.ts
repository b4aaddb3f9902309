import type {
  Action,
  HealthCheckConfig,
  IpAddressType,
  IpPermission,
  ListenerProtocol,
  RuleCondition,
  Scheme,
  TargetGroupSpec,
  TargetType,
} from '../model/stack.js';

/**
 * What a stack has in AWS, found by its tags (never by names), in the model's shapes so the plan
 * compares like with like. The ELBv2/EC2 ports build it; tests write it by hand.
 */
export type TagMap = Record<string, string>;

export interface ActualSecurityGroup {
  groupId: string;
  groupName: string;
  tags: TagMap;
  ingress: IpPermission[];
}

export interface ActualLoadBalancer {
  arn: string;
  name: string;
  type: 'application' | 'network';
  scheme: Scheme;
  ipAddressType: IpAddressType;
  dnsName: string;
  subnetIds: string[];
  securityGroups: string[];
  /** every attribute AWS reports */
  attributes: Record<string, string>;
  tags: TagMap;
  /**
   * The associated web ACL's ARN, '' for none (GetWebACLForResource); absent when not read. The
   * pass reads it only when the model sets `wafv2AclArn`.
   */
  webAclArn?: string;
  /** The Shield protection (DescribeProtection), null for none; absent when not read. */
  shieldProtection?: { id: string; name: string } | null;
}

export interface ActualListener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: ListenerProtocol;
  defaultActions: Action[];
  certificates: string[];
  sslPolicy?: string;
  alpnPolicy?: string[];
  /** DescribeListenerAttributes; absent when not read (the pass reads them when the model sets some) */
  attributes?: Record<string, string>;
}

export interface ActualRule {
  arn: string;
  listenerArn: string;
  priority: number;
  actions: Action[];
  conditions: RuleCondition[];
  tags: TagMap;
}

export interface ActualTargetGroup {
  arn: string;
  name: string;
  targetType: TargetType;
  protocol: TargetGroupSpec['protocol'];
  protocolVersion?: string;
  port: number;
  vpcId: string;
  ipAddressType: 'ipv4' | 'ipv6';
  healthCheck: HealthCheckConfig;
  attributes: Record<string, string>;
  tags: TagMap;
  /** read only while a replacement is under way (two groups for one model ID); else unknown */
  healthyTargets?: number;
}

export interface ActualStack {
  securityGroups: ActualSecurityGroup[];
  loadBalancers: ActualLoadBalancer[];
  /** listeners of the stack's load balancers */
  listeners: ActualListener[];
  /** non-default rules of those listeners */
  rules: ActualRule[];
  targetGroups: ActualTargetGroup[];
}

export function emptyActual(): ActualStack {
  return { securityGroups: [], loadBalancers: [], listeners: [], rules: [], targetGroups: [] };
}

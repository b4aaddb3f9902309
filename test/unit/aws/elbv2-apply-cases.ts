import type { Elbv2Change } from '../../../shared/aws/elbv2-stacks-apply.js';
import { toSdkActions, toSdkConditions, toSdkHealthCheck } from '../../../shared/aws/elbv2-stacks-convert.js';
import type { ListenerSpec, Ref } from '../../../shared/model/stack.js';

/** A Ref the apply has already resolved to its ARN (the model types still say Ref). */
const resolved = (arn: string) => arn as unknown as Ref;

/**
 * One resolved change per ELBv2 op, and the SDK calls (command name, input) its applier must
 * send. A fake client answers creates with made-up ARNs (see FAKE_REPLIES).
 */
export interface ApplyCase {
  name: string;
  change: Elbv2Change;
  calls: [string, Record<string, unknown>][];
  result: { arn?: string; dnsName?: string };
}

export const FAKE_REPLIES: Record<string, unknown> = {
  CreateTargetGroupCommand: { TargetGroups: [{ TargetGroupArn: 'arn:tg/new' }] },
  CreateLoadBalancerCommand: { LoadBalancers: [{ LoadBalancerArn: 'arn:lb/new', DNSName: 'new.elb' }] },
  CreateListenerCommand: { Listeners: [{ ListenerArn: 'arn:listener/new' }] },
  CreateRuleCommand: { Rules: [{ RuleArn: 'arn:rule/new' }] },
  // what AWS answers for a resource this create made: the tags it was sent
  DescribeTagsCommand: {
    TagDescriptions: ['arn:tg/new', 'arn:lb/new'].map((ResourceArn) => ({
      ResourceArn,
      Tags: Object.entries({ 'elbv2.k8s.aws/cluster': 'demo', 'service.k8s.aws/stack': 'shop/web' }).map(
        ([Key, Value]) => ({ Key, Value }),
      ),
    })),
  },
};

const HEALTH_CHECK = {
  port: 'traffic-port',
  protocol: 'HTTP',
  path: '/healthz',
  matcher: { httpCode: '200' },
  intervalSeconds: 15,
  timeoutSeconds: 5,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 3,
} as const;
const SDK_HEALTH_CHECK = toSdkHealthCheck(HEALTH_CHECK);
const FIXED_404 = [{ type: 'fixed-response' as const, fixedResponseConfig: { statusCode: '404' } }];
// the converters have their own table (elbv2-convert.test.ts): here they only need to be the ones used
const SDK_FIXED_404 = toSdkActions(FIXED_404);
const PATH = [{ field: 'path-pattern' as const, pathPatternConfig: { values: ['/a'] } }];
const SDK_PATH = toSdkConditions(PATH);
// the tracking tags slbc always sends: the create appliers check them on what AWS answers
const TAGS = { 'elbv2.k8s.aws/cluster': 'demo', 'service.k8s.aws/stack': 'shop/web', app: 'shop' };
const SDK_TAGS = Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value }));
/** The ownership check after each create: DescribeTags on the ARN the create answered. */
const describeTags = (arn: string): [string, Record<string, unknown>] => [
  'DescribeTagsCommand',
  { ResourceArns: [arn] },
];
const LISTENER_SPEC: ListenerSpec = {
  loadBalancerARN: resolved('arn:lb/1'),
  port: 443,
  protocol: 'HTTPS',
  defaultActions: FIXED_404,
  certificates: [{ certificateARN: 'arn:cert/1' }, { certificateARN: 'arn:cert/2' }],
  sslPolicy: 'ELBSecurityPolicy-2016-08',
  tags: TAGS,
};

export const APPLY_CASES: ApplyCase[] = [
  {
    name: 'createTargetGroup: the group, then its attributes in a second call',
    change: {
      op: 'createTargetGroup',
      id: 'tg',
      vpcId: 'vpc-1',
      spec: {
        name: 'k8s-web',
        targetType: 'ip',
        ipAddressType: 'ipv4',
        port: 8080,
        protocol: 'HTTP',
        protocolVersion: 'HTTP1',
        healthCheckConfig: HEALTH_CHECK,
        targetGroupAttributes: [{ key: 'deregistration_delay.timeout_seconds', value: '30' }],
        tags: TAGS,
      },
    },
    calls: [
      [
        'CreateTargetGroupCommand',
        {
          Name: 'k8s-web',
          Protocol: 'HTTP',
          ProtocolVersion: 'HTTP1',
          Port: 8080,
          VpcId: 'vpc-1',
          TargetType: 'ip',
          IpAddressType: 'ipv4',
          ...SDK_HEALTH_CHECK,
          Tags: SDK_TAGS,
        },
      ],
      describeTags('arn:tg/new'),
      [
        'ModifyTargetGroupAttributesCommand',
        {
          TargetGroupArn: 'arn:tg/new',
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
        },
      ],
    ],
    result: { arn: 'arn:tg/new' },
  },
  {
    name: 'modifyTargetGroup: the whole health check',
    change: { op: 'modifyTargetGroup', id: 'tg', arn: 'arn:tg/1', healthCheck: HEALTH_CHECK },
    calls: [['ModifyTargetGroupCommand', { TargetGroupArn: 'arn:tg/1', ...SDK_HEALTH_CHECK }]],
    result: {},
  },
  {
    name: 'modifyTargetGroupAttributes',
    change: {
      op: 'modifyTargetGroupAttributes',
      id: 'tg',
      arn: 'arn:tg/1',
      attributes: [{ key: 'stickiness.enabled', value: 'true' }],
    },
    calls: [
      [
        'ModifyTargetGroupAttributesCommand',
        { TargetGroupArn: 'arn:tg/1', Attributes: [{ Key: 'stickiness.enabled', Value: 'true' }] },
      ],
    ],
    result: {},
  },
  {
    name: 'createLoadBalancer: without attributes, one call',
    change: {
      op: 'createLoadBalancer',
      id: 'LoadBalancer',
      spec: {
        name: 'k8s-shop',
        type: 'application',
        scheme: 'internal',
        ipAddressType: 'ipv4',
        subnetMapping: [{ subnetID: 's-1' }, { subnetID: 's-2' }],
        securityGroups: ['sg-1'],
        loadBalancerAttributes: [],
        tags: TAGS,
      },
    },
    calls: [
      [
        'CreateLoadBalancerCommand',
        {
          Name: 'k8s-shop',
          Type: 'application',
          Scheme: 'internal',
          IpAddressType: 'ipv4',
          SubnetMappings: [{ SubnetId: 's-1' }, { SubnetId: 's-2' }],
          SecurityGroups: ['sg-1'],
          Tags: SDK_TAGS,
        },
      ],
      describeTags('arn:lb/new'),
    ],
    result: { arn: 'arn:lb/new', dnsName: 'new.elb' },
  },
  {
    name: 'createLoadBalancer: an NLB without security groups, attributes in a second call',
    change: {
      op: 'createLoadBalancer',
      id: 'LoadBalancer',
      spec: {
        name: 'k8s-nlb',
        type: 'network',
        scheme: 'internet-facing',
        ipAddressType: 'ipv4',
        subnetMapping: [{ subnetID: 's-1' }],
        securityGroups: [],
        loadBalancerAttributes: [{ key: 'load_balancing.cross_zone.enabled', value: 'true' }],
        tags: TAGS,
      },
    },
    calls: [
      [
        'CreateLoadBalancerCommand',
        {
          Name: 'k8s-nlb',
          Type: 'network',
          Scheme: 'internet-facing',
          IpAddressType: 'ipv4',
          SubnetMappings: [{ SubnetId: 's-1' }],
          Tags: SDK_TAGS,
        },
      ],
      describeTags('arn:lb/new'),
      [
        'ModifyLoadBalancerAttributesCommand',
        {
          LoadBalancerArn: 'arn:lb/new',
          Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }],
        },
      ],
    ],
    result: { arn: 'arn:lb/new', dnsName: 'new.elb' },
  },
  {
    name: 'modifyLoadBalancerAttributes',
    change: {
      op: 'modifyLoadBalancerAttributes',
      arn: 'arn:lb/1',
      attributes: [{ key: 'idle_timeout.timeout_seconds', value: '60' }],
    },
    calls: [
      [
        'ModifyLoadBalancerAttributesCommand',
        { LoadBalancerArn: 'arn:lb/1', Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '60' }] },
      ],
    ],
    result: {},
  },
  {
    name: 'setSecurityGroups',
    change: { op: 'setSecurityGroups', arn: 'arn:lb/1', securityGroups: ['sg-1', 'sg-2'] },
    calls: [['SetSecurityGroupsCommand', { LoadBalancerArn: 'arn:lb/1', SecurityGroups: ['sg-1', 'sg-2'] }]],
    result: {},
  },
  {
    name: 'setSubnets',
    change: { op: 'setSubnets', arn: 'arn:lb/1', subnetIds: ['s-1', 's-3'] },
    calls: [['SetSubnetsCommand', { LoadBalancerArn: 'arn:lb/1', Subnets: ['s-1', 's-3'] }]],
    result: {},
  },
  {
    name: 'setIpAddressType',
    change: { op: 'setIpAddressType', arn: 'arn:lb/1', ipAddressType: 'dualstack' },
    calls: [['SetIpAddressTypeCommand', { LoadBalancerArn: 'arn:lb/1', IpAddressType: 'dualstack' }]],
    result: {},
  },
  {
    name: 'createListener: the default certificate only, SSL policy, tags',
    change: { op: 'createListener', id: '443', spec: LISTENER_SPEC },
    calls: [
      [
        'CreateListenerCommand',
        {
          LoadBalancerArn: 'arn:lb/1',
          Port: 443,
          Protocol: 'HTTPS',
          DefaultActions: SDK_FIXED_404,
          Certificates: [{ CertificateArn: 'arn:cert/1' }],
          SslPolicy: 'ELBSecurityPolicy-2016-08',
          Tags: SDK_TAGS,
        },
      ],
    ],
    result: { arn: 'arn:listener/new' },
  },
  {
    name: 'modifyListener: no tags (ModifyListener takes none)',
    change: { op: 'modifyListener', id: '443', arn: 'arn:listener/1', spec: LISTENER_SPEC },
    calls: [
      [
        'ModifyListenerCommand',
        {
          ListenerArn: 'arn:listener/1',
          Port: 443,
          Protocol: 'HTTPS',
          DefaultActions: SDK_FIXED_404,
          Certificates: [{ CertificateArn: 'arn:cert/1' }],
          SslPolicy: 'ELBSecurityPolicy-2016-08',
        },
      ],
    ],
    result: {},
  },
  {
    name: 'setRulePriorities',
    change: {
      op: 'setRulePriorities',
      listenerArn: 'arn:listener/1',
      priorities: [{ ruleArn: 'arn:rule/1', priority: 50000 }],
    },
    calls: [['SetRulePrioritiesCommand', { RulePriorities: [{ RuleArn: 'arn:rule/1', Priority: 50000 }] }]],
    result: {},
  },
  {
    name: 'modifyRule: actions and conditions in one call',
    change: { op: 'modifyRule', id: '80:1', arn: 'arn:rule/1', actions: FIXED_404, conditions: PATH },
    calls: [['ModifyRuleCommand', { RuleArn: 'arn:rule/1', Actions: SDK_FIXED_404, Conditions: SDK_PATH }]],
    result: {},
  },
  {
    name: 'createRule',
    change: {
      op: 'createRule',
      id: '80:1',
      listenerArn: 'arn:listener/1',
      spec: {
        listenerARN: resolved('arn:listener/1'),
        priority: 3,
        actions: FIXED_404,
        conditions: PATH,
        tags: TAGS,
      },
    },
    calls: [
      [
        'CreateRuleCommand',
        {
          ListenerArn: 'arn:listener/1',
          Priority: 3,
          Actions: SDK_FIXED_404,
          Conditions: SDK_PATH,
          Tags: SDK_TAGS,
        },
      ],
    ],
    result: { arn: 'arn:rule/new' },
  },
  {
    name: 'deleteRule',
    change: { op: 'deleteRule', arn: 'arn:rule/1', priority: 4 },
    calls: [['DeleteRuleCommand', { RuleArn: 'arn:rule/1' }]],
    result: {},
  },
  {
    name: 'deleteListener',
    change: { op: 'deleteListener', arn: 'arn:listener/1', port: 80 },
    calls: [['DeleteListenerCommand', { ListenerArn: 'arn:listener/1' }]],
    result: {},
  },
  {
    name: 'deleteTargetGroup',
    change: { op: 'deleteTargetGroup', arn: 'arn:tg/1', name: 'k8s-web' },
    calls: [['DeleteTargetGroupCommand', { TargetGroupArn: 'arn:tg/1' }]],
    result: {},
  },
  {
    name: 'deleteLoadBalancer',
    change: { op: 'deleteLoadBalancer', arn: 'arn:lb/1', name: 'k8s-shop' },
    calls: [['DeleteLoadBalancerCommand', { LoadBalancerArn: 'arn:lb/1' }]],
    result: {},
  },
  {
    name: 'addTags',
    change: { op: 'addTags', arn: 'arn:lb/1', tags: TAGS },
    calls: [['AddTagsCommand', { ResourceArns: ['arn:lb/1'], Tags: SDK_TAGS }]],
    result: {},
  },
];

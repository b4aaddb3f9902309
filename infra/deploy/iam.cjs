'use strict';
/**
 * IAM statements for the per-function roles in serverless.yml, where they are long or depend
 * on parameters. The ownership gate follows the LBC's recommended policy (the
 * `elbv2.k8s.aws/cluster` tag) and is stricter in one way: the tag must name one of this
 * deployment's clusters, not merely exist, so two deployments in one account cannot touch
 * each other's load balancers. test/integration/deploy/ walks every statement.
 */
const { names: clusterNames, eksClusterArns } = require('./clusters.cjs');

const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/** The event sources of shared/events/contract.ts: what each function may put on the bus. */
const SOURCES = { cluster: 'slbc.cluster', internal: 'slbc.internal' };

/** An ARN in this stack's partition, Region and account, as a CloudFormation Fn::Sub. */
const arn = (service, resource, { region = true } = {}) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:${service}:${region ? `\${AWS::Region}` : ''}:\${AWS::AccountId}:${resource}`,
});

const LOAD_BALANCERS = [
  arn('elasticloadbalancing', 'loadbalancer/app/*/*'),
  arn('elasticloadbalancing', 'loadbalancer/net/*/*'),
];
const TARGET_GROUPS = [arn('elasticloadbalancing', 'targetgroup/*/*')];
const LISTENERS = [
  arn('elasticloadbalancing', 'listener/app/*/*/*'),
  arn('elasticloadbalancing', 'listener/net/*/*/*'),
];
const LISTENER_RULES = [
  arn('elasticloadbalancing', 'listener-rule/app/*/*/*/*'),
  arn('elasticloadbalancing', 'listener-rule/net/*/*/*/*'),
];
const SECURITY_GROUPS = arn('ec2', 'security-group/*');

/** Read-only calls AWS does not scope to resources: they only accept Resource "*". */
const ELBV2_DESCRIBE = [
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeListenerCertificates',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeSSLPolicies',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth',
];
const EC2_DESCRIBE = [
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeTags',
  'ec2:DescribeVpcs',
];

/** The table calls shared/state makes (CreateTable and DescribeTable are local-mode only). */
const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
];

const lambdaTrust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** Writing to the function's own log group, which the Framework creates as /aws/lambda/<service>-<stage>-<name>. */
function logsStatement(functionName) {
  return async ({ resolveVariable }) => {
    const service = await resolveVariable('self:service');
    const stage = await resolveVariable('sls:stage');
    return {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: arn('logs', `log-group:/aws/lambda/${service}-${stage}-${functionName}:*`),
    };
  };
}

const stateTable = {
  Effect: 'Allow',
  Action: TABLE_ACTIONS,
  Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
};

const elbv2Describe = { Effect: 'Allow', Action: ELBV2_DESCRIBE, Resource: '*' };
const ec2Describe = { Effect: 'Allow', Action: EC2_DESCRIBE, Resource: '*' };

/**
 * PutEvents on our bus, only for the given sources. One call may carry up to ten entries, so
 * `events:source` is a set: every entry's source must be one of ours (ForAllValues), and the
 * key must be present, since ForAllValues alone also accepts a request without it.
 */
function putEvents(...sources) {
  return {
    Effect: 'Allow',
    Action: 'events:PutEvents',
    Resource: { 'Fn::GetAtt': ['EventBus', 'Arn'] },
    Condition: {
      'ForAllValues:StringEquals': { 'events:source': sources },
      Null: { 'events:source': 'false' },
    },
  };
}

async function describeClusters(context) {
  return { Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: await eksClusterArns(context) };
}

/** What the stacks function needs to create, change and delete ALBs, NLBs and their parts. */
function stacksStatements({ clusters, logs, describe }) {
  const ownedByUs = { StringEquals: { [`aws:ResourceTag/${CLUSTER_TAG}`]: clusters } };
  const taggedForUs = { [`aws:RequestTag/${CLUSTER_TAG}`]: clusters };
  return [
    logs,
    { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['StacksFailureQueue', 'Arn'] } },
    stateTable,
    describe,
    elbv2Describe,
    ec2Describe,
    // stacks announces the target groups it created or adopted ("Target Group Bound")
    putEvents(SOURCES.internal),
    {
      Sid: 'CreateOnlyWithOurClusterTag',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Resource: [...LOAD_BALANCERS, ...TARGET_GROUPS],
      Condition: { StringEquals: taggedForUs },
    },
    {
      Sid: 'TagOnlyAtCreation',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:AddTags',
      Resource: [...LOAD_BALANCERS, ...TARGET_GROUPS],
      Condition: {
        StringEquals: {
          'elasticloadbalancing:CreateAction': ['CreateLoadBalancer', 'CreateTargetGroup'],
          ...taggedForUs,
        },
      },
    },
    {
      // user tags (the `tags` annotation) change on owned resources; the ownership key never does
      Sid: 'RetagOwnedButNeverTheClusterTag',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: [...LOAD_BALANCERS, ...TARGET_GROUPS, ...LISTENERS, ...LISTENER_RULES],
      Condition: { ...ownedByUs, 'ForAllValues:StringNotEquals': { 'aws:TagKeys': [CLUSTER_TAG] } },
    },
    {
      Sid: 'ChangeOnlyOwnedLoadBalancersAndTargetGroups',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes',
        'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer',
        'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes',
        'elasticloadbalancing:DeleteTargetGroup',
      ],
      Resource: [...LOAD_BALANCERS, ...TARGET_GROUPS],
      Condition: ownedByUs,
    },
    // Listeners and rules: the second wall behind slbc's own ownership checks. ELBv2 authorises
    // CreateListener against the load balancer and CreateRule against the listener, and every
    // other listener or rule call against the listener or rule itself, each with its tags as
    // aws:ResourceTag (Service Authorization Reference, list_awselasticloadbalancingv2). slbc
    // and the LBC (since v2.2) tag listeners and rules with the load balancer's tags, so a
    // listener can be added only to a load balancer of ours, and changed only when it is ours.
    {
      Sid: 'CreateListenersOnOwnedLoadBalancers',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:CreateListener',
      Resource: LOAD_BALANCERS,
      Condition: { StringEquals: { ...ownedByUs.StringEquals, ...taggedForUs } },
    },
    {
      Sid: 'CreateRulesOnOwnedListeners',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:CreateRule',
      Resource: LISTENERS,
      Condition: { StringEquals: { ...ownedByUs.StringEquals, ...taggedForUs } },
    },
    // Where AWS also authorises a create against the new listener or rule, the request must
    // tag it as ours. One statement each: CreateRule on a listener ARN must never match the
    // request-tag-only condition, or an untagged listener would take rules.
    {
      Sid: 'NewListenersCarryOurClusterTag',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:CreateListener',
      Resource: LISTENERS,
      Condition: { StringEquals: taggedForUs },
    },
    {
      Sid: 'NewRulesCarryOurClusterTag',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:CreateRule',
      Resource: LISTENER_RULES,
      Condition: { StringEquals: taggedForUs },
    },
    {
      Sid: 'ChangeOnlyOwnedListeners',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
      ],
      Resource: LISTENERS,
      Condition: ownedByUs,
    },
    {
      Sid: 'ChangeOnlyOwnedRules',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:DeleteRule'],
      Resource: LISTENER_RULES,
      Condition: ownedByUs,
    },
    {
      // The one ELBv2 write IAM cannot scope: the reference gives SetRulePriorities no resource
      // type and no condition key, so only Resource "*" matches it. It reorders rules and
      // changes nothing else; slbc calls it only with the rules of listeners it has just read
      // under one of its own load balancers (docs/security.md).
      Sid: 'ReorderRulesUnscopable',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:SetRulePriorities',
      Resource: '*',
    },
    {
      Sid: 'TagListenersAndRulesOnlyAtCreation',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:AddTags',
      Resource: [...LISTENERS, ...LISTENER_RULES],
      Condition: {
        StringEquals: {
          'elasticloadbalancing:CreateAction': ['CreateListener', 'CreateRule'],
          ...taggedForUs,
        },
      },
    },
    // Load balancer add-ons (wafv2-acl-arn, shield-advanced-protection), as the LBC's policy.
    // WAFv2 authorises Associate/DisassociateWebACL against the web ACL (the user's, not ours)
    // and, on the caller's behalf, elasticloadbalancing:SetWebAcl against the load balancer: that
    // second check is the wall, so a web ACL can be set only on a load balancer of ours.
    {
      Sid: 'SetWebAclOnlyOnOwnedLoadBalancers',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:SetWebAcl',
      Resource: LOAD_BALANCERS,
      Condition: ownedByUs,
    },
    {
      // the user's regional web ACLs and our load balancers (WAFv2's resource types for these calls)
      Sid: 'WebAclAssociations',
      Effect: 'Allow',
      Action: [
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'wafv2:GetWebACLForResource',
        'wafv2:GetWebACL',
      ],
      Resource: [arn('wafv2', 'regional/webacl/*/*'), ...LOAD_BALANCERS],
    },
    {
      // Shield protections carry no tag of ours (the LBC creates them untagged, by name): slbc
      // deletes only those named as the LBC names its own (shared/plan/stack/addons.ts)
      Sid: 'ShieldProtections',
      Effect: 'Allow',
      Action: ['shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection'],
      Resource: arn('shield', 'protection/*', { region: false }),
    },
    { Sid: 'ShieldSubscriptionState', Effect: 'Allow', Action: 'shield:GetSubscriptionState', Resource: '*' },
    {
      Sid: 'CreateSecurityGroupsOnlyWithOurClusterTag',
      Effect: 'Allow',
      Action: 'ec2:CreateSecurityGroup',
      Resource: SECURITY_GROUPS,
      Condition: { StringEquals: taggedForUs },
    },
    {
      // EC2 also authorizes CreateSecurityGroup against the VPC the group goes into
      Sid: 'CreateSecurityGroupsInClusterVpcs',
      Effect: 'Allow',
      Action: 'ec2:CreateSecurityGroup',
      Resource: arn('ec2', 'vpc/*'),
    },
    {
      Sid: 'TagSecurityGroupsOnlyAtCreation',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: SECURITY_GROUPS,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...taggedForUs } },
    },
    {
      Sid: 'ChangeOnlyOwnedSecurityGroups',
      Effect: 'Allow',
      Action: [
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:DeleteSecurityGroup',
      ],
      Resource: SECURITY_GROUPS,
      Condition: ownedByUs,
    },
    {
      // EC2 also authorizes the security-group-rule the call adds or removes; which groups
      // may change is decided by the statement above
      Sid: 'SecurityGroupRulesOfOwnedGroups',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: arn('ec2', 'security-group-rule/*'),
    },
    {
      // the first load balancer in an account creates ELB's service-linked role
      Sid: 'ElbServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: arn(
        'iam',
        'role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
        { region: false },
      ),
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    },
  ];
}

module.exports = {
  CLUSTER_TAG,
  SOURCES,
  ELBV2_DESCRIBE,
  EC2_DESCRIBE,
  lambdaTrust,
  stateTable,
  elbv2Describe,
  ec2Describe,
  describeClusters,
  putEventsFor: {
    // ingest publishes cluster changes only
    ingest: putEvents(SOURCES.cluster),
    // resync publishes what the audit log lost (cluster changes) and Reconcile Requested
    resync: putEvents(SOURCES.cluster, SOURCES.internal),
  },
  logsFor: {
    ingest: logsStatement('ingest'),
    targets: logsStatement('targets'),
    stacks: logsStatement('stacks'),
    resync: logsStatement('resync'),
  },
  stacksStatements: async (context) =>
    stacksStatements({
      clusters: await clusterNames(context),
      logs: await logsStatement('stacks')(context),
      describe: await describeClusters(context),
    }),
};

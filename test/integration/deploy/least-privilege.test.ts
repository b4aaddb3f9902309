import { describe, expect, it } from 'vitest';
import { violations } from './least-privilege.js';
import type { Statement } from './template.js';

/** The checker the template test relies on must catch each kind of over-broad statement. */

const CLUSTERS = ['a', 'b'];
const sub = (resource: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:${resource.split(':')[0]}:\${AWS::Region}:\${AWS::AccountId}:${resource.split(':').slice(1).join(':')}`,
});
const TARGET_GROUPS = sub('elasticloadbalancing:targetgroup/*/*');
const GROUPS = sub('ec2:security-group/*');
const LISTENERS = sub('elasticloadbalancing:listener/app/*/*/*');
const RULES = sub('elasticloadbalancing:listener-rule/app/*/*/*/*');
const ours = { StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': CLUSTERS } };
const allow = (
  Action: string | string[],
  Resource: unknown,
  Condition?: Statement['Condition'],
): Statement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});

describe('least-privilege checker', () => {
  it.each<[string, Statement, RegExp]>([
    ['a wildcard action', allow('elasticloadbalancing:*', TARGET_GROUPS), /wildcard action/],
    ['a service-wide Describe*', allow('ec2:Describe*', '*'), /wildcard action/],
    ['Action "*"', allow('*', '*'), /wildcard action/],
    ['a mutating call on "*"', allow('dynamodb:PutItem', '*'), /on Resource "\*"/],
    ['a resource in any account', allow('sqs:SendMessage', 'arn:aws:sqs:*:*:q'), /not in this account/],
    [
      'registering into any target group',
      allow('elasticloadbalancing:RegisterTargets', TARGET_GROUPS),
      /ResourceTag/,
    ],
    [
      'a tag condition naming other clusters',
      allow('elasticloadbalancing:DeleteTargetGroup', TARGET_GROUPS, {
        StringEquals: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': ['other'] },
      }),
      /ResourceTag/,
    ],
    [
      'creating without the tag',
      allow('elasticloadbalancing:CreateTargetGroup', TARGET_GROUPS),
      /RequestTag/,
    ],
    [
      'tagging owned resources freely',
      allow('elasticloadbalancing:AddTags', TARGET_GROUPS, ours),
      /cluster key/,
    ],
    ['removing tags unconditioned', allow('elasticloadbalancing:RemoveTags', TARGET_GROUPS), /cluster key/],
    ['deleting any security group', allow('ec2:DeleteSecurityGroup', GROUPS), /ResourceTag/],
    ['tagging security groups after creation', allow('ec2:CreateTags', GROUPS), /at creation/],
    [
      'an unreviewed mutating action',
      allow('ec2:TerminateInstances', sub('ec2:instance/*')),
      /not a reviewed/,
    ],
    [
      'a listener call beyond listeners',
      allow('elasticloadbalancing:DeleteListener', sub('elasticloadbalancing:*'), ours),
      /beyond listeners and rules/,
    ],
    [
      'changing any listener',
      allow('elasticloadbalancing:ModifyListener', LISTENERS),
      /ModifyListener without aws:ResourceTag/,
    ],
    [
      'creating rules on any listener',
      allow('elasticloadbalancing:CreateRule', LISTENERS, {
        StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': CLUSTERS },
      }),
      /on a parent without aws:ResourceTag/,
    ],
    [
      'creating rules without our tag',
      allow('elasticloadbalancing:CreateRule', RULES),
      /CreateRule without aws:RequestTag/,
    ],
    [
      'tagging listeners at creation without our tag',
      allow('elasticloadbalancing:AddTags', LISTENERS, {
        StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateListener'] },
      }),
      /at creation without aws:RequestTag/,
    ],
    [
      'SetRulePriorities on ARNs it is never authorised against',
      allow('elasticloadbalancing:SetRulePriorities', RULES),
      /only Resource "\*" matches/,
    ],
    [
      'PutEvents from any source',
      allow('events:PutEvents', { 'Fn::GetAtt': ['EventBus', 'Arn'] }),
      /events:source/,
    ],
    [
      'PutEvents whose source may be absent',
      allow(
        'events:PutEvents',
        { 'Fn::GetAtt': ['EventBus', 'Arn'] },
        {
          'ForAllValues:StringEquals': { 'events:source': ['slbc.cluster'] },
        },
      ),
      /events:source/,
    ],
  ])('rejects %s', (_name, statement, expected) => {
    expect(violations(statement, CLUSTERS).join('\n')).toMatch(expected);
  });

  it.each<[string, Statement]>([
    ['describes on "*"', allow(['ec2:DescribeSubnets', 'elasticloadbalancing:DescribeTargetHealth'], '*')],
    [
      'registering into owned target groups',
      allow('elasticloadbalancing:RegisterTargets', TARGET_GROUPS, ours),
    ],
    [
      'tagging at creation',
      allow('elasticloadbalancing:AddTags', TARGET_GROUPS, {
        StringEquals: {
          'elasticloadbalancing:CreateAction': ['CreateTargetGroup'],
          'aws:RequestTag/elbv2.k8s.aws/cluster': CLUSTERS,
        },
      }),
    ],
    ['a table write on the table', allow('dynamodb:PutItem', { 'Fn::GetAtt': ['StateTable', 'Arn'] })],
    ['changing owned rules', allow('elasticloadbalancing:ModifyRule', RULES, ours)],
    ['reordering rules on "*"', allow('elasticloadbalancing:SetRulePriorities', '*')],
    [
      'PutEvents from our source only',
      allow(
        'events:PutEvents',
        { 'Fn::GetAtt': ['EventBus', 'Arn'] },
        {
          'ForAllValues:StringEquals': { 'events:source': ['slbc.cluster'] },
          Null: { 'events:source': 'false' },
        },
      ),
    ],
  ])('accepts %s', (_name, statement) => {
    expect(violations(statement, CLUSTERS)).toEqual([]);
  });
});

import { asList, resourceText, type Statement } from './template.js';

/**
 * The least-privilege rules every statement in the template must follow, written
 * independently of infra/deploy/iam.cjs so that the two check each other. `violations`
 * returns one line per broken rule; least-privilege.test.ts shows each rule can fail.
 */

const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * The only actions allowed on Resource "*": AWS's Service Authorization Reference lists no
 * resource type for these read-only calls, so IAM cannot scope them.
 */
export const UNSCOPABLE_READS = new Set([
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
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstances',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeTags',
  'ec2:DescribeVpcs',
  'shield:GetSubscriptionState',
]);

/** ELBv2 creations: the request must carry our cluster tag (aws:RequestTag). */
const ELBV2_CREATES = new Set([
  'elasticloadbalancing:CreateLoadBalancer',
  'elasticloadbalancing:CreateTargetGroup',
]);

/** ELBv2 changes to load balancers and target groups: the resource must carry our cluster tag. */
const ELBV2_OWNED_CHANGES = new Set(
  [
    'ModifyLoadBalancerAttributes',
    'SetIpAddressType',
    'SetSecurityGroups',
    'SetSubnets',
    'DeleteLoadBalancer',
    'SetWebAcl',
    'ModifyTargetGroup',
    'ModifyTargetGroupAttributes',
    'DeleteTargetGroup',
    'RegisterTargets',
    'DeregisterTargets',
  ].map((name) => `elasticloadbalancing:${name}`),
);

/**
 * Listener and rule changes: the listener or rule must carry our cluster tag. The LBC tags
 * them like their load balancer since v2.2, and so does slbc (elbv2-wall.ts proves the rest).
 */
const ELBV2_LISTENER_CHANGES = new Set(
  [
    'ModifyListener',
    'ModifyListenerAttributes',
    'DeleteListener',
    'AddListenerCertificates',
    'RemoveListenerCertificates',
    'ModifyRule',
    'DeleteRule',
  ].map((name) => `elasticloadbalancing:${name}`),
);

/** Listener and rule creation: our tag in the request, and on the parent where that is the resource. */
const ELBV2_CHILD_CREATES: Record<string, { parent: RegExp; child: RegExp }> = {
  'elasticloadbalancing:CreateListener': {
    parent: /:loadbalancer\/(app|net)\//,
    child: /:listener\/(app|net)\//,
  },
  'elasticloadbalancing:CreateRule': {
    parent: /:listener\/(app|net)\//,
    child: /:listener-rule\/(app|net)\//,
  },
};

/**
 * Writes AWS's Service Authorization Reference gives no resource type, so only Resource "*"
 * matches them; each is reviewed (docs/security.md says why it is acceptable).
 */
export const UNSCOPABLE_WRITES = new Set(['elasticloadbalancing:SetRulePriorities']);

const ELBV2_TAGGING = new Set(['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags']);

const SG_CHANGES = new Set([
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:DeleteSecurityGroup',
]);

const READ_VERBS = /^(Describe|Get|List|Query|Scan|BatchGet)/;

export const isMutating = (action: string) => !READ_VERBS.test(action.split(':')[1] ?? '');

const sameSet = (actual: unknown, expected: readonly string[]) =>
  JSON.stringify([...asList(actual as string | string[])].sort()) === JSON.stringify([...expected].sort());

function condition(statement: Statement, operator: string, key: string): unknown {
  return statement.Condition?.[operator]?.[key];
}

export function violations(statement: Statement, clusters: readonly string[]): string[] {
  const problems: string[] = [];
  const actions = asList(statement.Action);
  const resources = asList(statement.Resource).map(resourceText);
  const label = statement.Sid ?? actions.join(',');
  const requestTagged = sameSet(
    condition(statement, 'StringEquals', `aws:RequestTag/${CLUSTER_TAG}`),
    clusters,
  );
  const resourceTagged = sameSet(
    condition(statement, 'StringEquals', `aws:ResourceTag/${CLUSTER_TAG}`),
    clusters,
  );
  const onlyOn = (pattern: RegExp) => resources.every((text) => pattern.test(text));

  if (statement.Effect !== 'Allow') problems.push(`${label}: only Allow statements are expected`);
  for (const action of actions) {
    if (action.includes('*')) problems.push(`${label}: wildcard action ${action}`);
  }
  for (const text of resources) {
    const inThisAccount =
      text.startsWith('GetAtt:') || text.startsWith('Ref:') || text.includes(`\${AWS::AccountId}`);
    if (text !== '*' && !inThisAccount) problems.push(`${label}: resource ${text} is not in this account`);
  }
  if (resources.includes('*')) {
    for (const action of actions.filter((a) => !UNSCOPABLE_READS.has(a) && !UNSCOPABLE_WRITES.has(a))) {
      problems.push(`${label}: ${action} on Resource "*"`);
    }
  }

  if (actions.includes('events:PutEvents')) {
    const sources = condition(statement, 'ForAllValues:StringEquals', 'events:source');
    const present = condition(statement, 'Null', 'events:source') === 'false';
    if (asList(sources as string[]).length === 0 || !present)
      problems.push(`${label}: events:PutEvents without events:source limited to our sources`);
  }

  for (const action of actions) {
    const [service] = action.split(':');
    if (!isMutating(action) || (service !== 'elasticloadbalancing' && service !== 'ec2' && service !== 'iam'))
      continue;
    if (ELBV2_CREATES.has(action)) {
      if (!requestTagged) problems.push(`${label}: ${action} without aws:RequestTag = our clusters`);
    } else if (ELBV2_OWNED_CHANGES.has(action)) {
      if (!resourceTagged) problems.push(`${label}: ${action} without aws:ResourceTag = our clusters`);
    } else if (ELBV2_LISTENER_CHANGES.has(action)) {
      if (!onlyOn(/:elasticloadbalancing:.*:(listener|listener-rule)\/(app|net)\//))
        problems.push(`${label}: ${action} beyond listeners and rules`);
      if (!resourceTagged) problems.push(`${label}: ${action} without aws:ResourceTag = our clusters`);
    } else if (ELBV2_CHILD_CREATES[action]) {
      const { parent, child } = ELBV2_CHILD_CREATES[action]!;
      if (!requestTagged) problems.push(`${label}: ${action} without aws:RequestTag = our clusters`);
      if (resources.some((text) => parent.test(text)) && !resourceTagged)
        problems.push(`${label}: ${action} on a parent without aws:ResourceTag = our clusters`);
      if (!onlyOn(parent) && !onlyOn(child))
        problems.push(`${label}: ${action} on parents and new resources in one statement`);
    } else if (UNSCOPABLE_WRITES.has(action)) {
      if (!onlyOn(/^\*$/))
        problems.push(`${label}: ${action} has no resource type; only Resource "*" matches it`);
    } else if (ELBV2_TAGGING.has(action)) {
      const atCreation =
        action.endsWith(':AddTags') &&
        condition(statement, 'StringEquals', 'elasticloadbalancing:CreateAction');
      const clusterTagUntouchable = asList(
        condition(statement, 'ForAllValues:StringNotEquals', 'aws:TagKeys') as string[],
      ).includes(CLUSTER_TAG);
      if (atCreation && !requestTagged)
        problems.push(`${label}: ${action} at creation without aws:RequestTag = our clusters`);
      if (!atCreation && !(resourceTagged && clusterTagUntouchable)) {
        problems.push(
          `${label}: ${action} neither at creation nor limited to owned resources without the cluster key`,
        );
      }
    } else if (action === 'ec2:CreateSecurityGroup') {
      const onGroups = resources.some((text) => text.includes(':security-group/'));
      if (onGroups && !requestTagged)
        problems.push(`${label}: ${action} without aws:RequestTag = our clusters`);
      if (!onlyOn(/:ec2:.*:(security-group|vpc)\//))
        problems.push(`${label}: ${action} beyond groups and VPCs`);
    } else if (action === 'ec2:CreateTags') {
      if (
        condition(statement, 'StringEquals', 'ec2:CreateAction') !== 'CreateSecurityGroup' ||
        !requestTagged
      ) {
        problems.push(`${label}: ${action} other than tagging a security group at creation`);
      }
    } else if (SG_CHANGES.has(action)) {
      const groups = resources.filter((text) => text.includes(':security-group/'));
      const rules = resources.filter((text) => text.includes(':security-group-rule/'));
      if (groups.length + rules.length !== resources.length)
        problems.push(`${label}: ${action} beyond security groups`);
      if (groups.length > 0 && !resourceTagged)
        problems.push(`${label}: ${action} without aws:ResourceTag = our clusters`);
      if (rules.length > 0 && action === 'ec2:DeleteSecurityGroup')
        problems.push(`${label}: ${action} on rules`);
    } else if (action === 'iam:CreateServiceLinkedRole') {
      if (
        condition(statement, 'StringEquals', 'iam:AWSServiceName') !== 'elasticloadbalancing.amazonaws.com'
      ) {
        problems.push(`${label}: ${action} for a service other than ELB`);
      }
    } else {
      problems.push(`${label}: ${action} is not a reviewed mutating action`);
    }
  }
  return problems;
}

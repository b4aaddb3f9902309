/**
 * `slbc status`: what slbc owns, read from ELBv2 itself (load balancers and target groups
 * tagged elbv2.k8s.aws/cluster, with their listeners, rules and target health) plus the errors
 * recorded in the state table. The same calls work against AWS and the local endpoint.
 */

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { TAG_KEYS } from '../../shared/model/tags.js';
import { openState, type RecordedError } from '../../shared/state/index.js';
import type { LoadBalancerView, RuleView, TargetGroupView, TopologyView } from '../view/topology.js';
import { describeCondition } from '../view/topology.js';

export interface StatusReport {
  topology: TopologyView;
  errors: RecordedError[];
}

/** arn -> value of the cluster tag, for those that carry it (DescribeTags takes 20 ARNs a call) */
async function clusterTags(
  elbv2: ElasticLoadBalancingV2Client,
  arns: string[],
): Promise<Map<string, string>> {
  const tagged = new Map<string, string>();
  for (let index = 0; index < arns.length; index += 20) {
    const answer = await elbv2.send(new DescribeTagsCommand({ ResourceArns: arns.slice(index, index + 20) }));
    for (const description of answer.TagDescriptions ?? []) {
      const value = description.Tags?.find((tag) => tag.Key === TAG_KEYS.cluster)?.Value;
      if (description.ResourceArn && value !== undefined) tagged.set(description.ResourceArn, value);
    }
  }
  return tagged;
}

async function allPages<T>(
  fetch: (marker: string | undefined) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    items.push(...page.items);
    marker = page.next;
  } while (marker);
  return items;
}

export async function collectStatus(
  clients: { elbv2: ElasticLoadBalancingV2Client; dynamodb: DynamoDBClient },
  options: { cluster?: string; tableName: string },
): Promise<StatusReport> {
  const { elbv2 } = clients;
  const owned = (tags: Map<string, string>, arn: string) =>
    tags.has(arn) && (options.cluster === undefined || tags.get(arn) === options.cluster);

  const balancers = await allPages(async (Marker) => {
    const answer = await elbv2.send(new DescribeLoadBalancersCommand({ Marker }));
    return { items: answer.LoadBalancers ?? [], ...(answer.NextMarker ? { next: answer.NextMarker } : {}) };
  });
  const groups = await allPages(async (Marker) => {
    const answer = await elbv2.send(new DescribeTargetGroupsCommand({ Marker }));
    return { items: answer.TargetGroups ?? [], ...(answer.NextMarker ? { next: answer.NextMarker } : {}) };
  });
  const tags = await clusterTags(elbv2, [
    ...balancers.flatMap((balancer) => balancer.LoadBalancerArn ?? []),
    ...groups.flatMap((group) => group.TargetGroupArn ?? []),
  ]);

  const groupViews = new Map<string, TargetGroupView>();
  for (const group of groups) {
    const arn = group.TargetGroupArn ?? '';
    if (!owned(tags, arn)) continue;
    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    groupViews.set(arn, {
      arn,
      name: group.TargetGroupName ?? '',
      protocol: group.Protocol ?? '',
      port: group.Port ?? 0,
      targetType: group.TargetType ?? '',
      targets: (health.TargetHealthDescriptions ?? []).map((description) => ({
        id: description.Target?.Id ?? '',
        port: description.Target?.Port ?? 0,
        state: description.TargetHealth?.State ?? '',
        ...(description.TargetHealth?.Reason ? { reason: description.TargetHealth.Reason } : {}),
      })),
    });
  }

  const reached = new Set<string>();
  const loadBalancers: LoadBalancerView[] = [];
  for (const balancer of balancers) {
    const arn = balancer.LoadBalancerArn ?? '';
    if (!owned(tags, arn)) continue;
    const listeners = await allPages(async (Marker) => {
      const answer = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: arn, Marker }));
      return { items: answer.Listeners ?? [], ...(answer.NextMarker ? { next: answer.NextMarker } : {}) };
    });
    const listenerViews = [];
    for (const listener of listeners.sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0))) {
      const rules = await allPages(async (Marker) => {
        const answer = await elbv2.send(
          new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, Marker }),
        );
        return { items: answer.Rules ?? [], ...(answer.NextMarker ? { next: answer.NextMarker } : {}) };
      });
      listenerViews.push({
        arn: listener.ListenerArn ?? '',
        protocol: listener.Protocol ?? '',
        port: listener.Port ?? 0,
        rules: rules.map((rule) => ruleView(rule, groupViews, reached)).sort(byPriority),
      });
    }
    loadBalancers.push({
      arn,
      name: balancer.LoadBalancerName ?? '',
      type: balancer.Type ?? '',
      scheme: balancer.Scheme ?? '',
      dnsName: balancer.DNSName ?? '',
      state: balancer.State?.Code ?? '',
      listeners: listenerViews,
    });
  }

  const state = openState(clients.dynamodb, options.tableName);
  const errors = await state.errors.list(options.cluster);
  return {
    topology: {
      loadBalancers,
      orphanTargetGroups: [...groupViews.values()].filter((group) => !reached.has(group.arn)),
      statuses: [],
    },
    errors,
  };
}

function ruleView(rule: Rule, groups: Map<string, TargetGroupView>, reached: Set<string>): RuleView {
  const arns = new Set<string>();
  for (const action of rule.Actions ?? []) {
    if (action.TargetGroupArn) arns.add(action.TargetGroupArn);
    for (const tuple of action.ForwardConfig?.TargetGroups ?? [])
      if (tuple.TargetGroupArn) arns.add(tuple.TargetGroupArn);
  }
  for (const arn of arns) reached.add(arn);
  return {
    priority: rule.Priority ?? '',
    conditions: (rule.Conditions ?? []).map((condition) =>
      describeCondition(condition as Record<string, unknown>),
    ),
    actions: (rule.Actions ?? []).map((action) =>
      action.Type === 'fixed-response'
        ? `fixed-response ${action.FixedResponseConfig?.StatusCode ?? ''}`
        : (action.Type ?? ''),
    ),
    targetGroups: [...arns].flatMap((arn) => groups.get(arn) ?? []),
  };
}

function byPriority(a: RuleView, b: RuleView): number {
  const rank = (rule: RuleView) =>
    rule.priority === 'default' ? Number.POSITIVE_INFINITY : Number(rule.priority);
  return rank(a) - rank(b);
}

export function renderErrors(errors: readonly RecordedError[]): string[] {
  if (errors.length === 0) return ['recorded errors: none'];
  return [
    `recorded errors (${errors.length}):`,
    ...errors.map(
      (error) =>
        `  ${error.at}  ${error.kind} ${error.namespace ? `${error.namespace}/` : ''}${error.name}${error.field ? ` (${error.field})` : ''}: ${error.message}`,
    ),
  ];
}

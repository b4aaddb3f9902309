/**
 * The topology as a tree: load balancers -> listeners -> rules -> target groups -> targets with
 * their health, read from the local ELBv2's state, plus the status hostnames of the cluster's
 * Ingresses and LoadBalancer Services.
 */

import {
  describeCondition,
  type ListenerView,
  type LoadBalancerView,
  type ObjectStatusView,
  type RuleView,
  type TargetGroupView,
  type TopologyView,
} from '../../view/topology.js';
import type { Elbv2Service } from '../aws/elbv2/index.js';
import type { SimulatedCluster } from '../cluster/index.js';

type Json = Record<string, unknown>;
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

function forwardedGroups(actions: Json[]): string[] {
  const arns: string[] = [];
  for (const action of actions) {
    if (typeof action['TargetGroupArn'] === 'string') arns.push(action['TargetGroupArn']);
    const tuples =
      ((action['ForwardConfig'] as Json | undefined)?.['TargetGroups'] as Json[] | undefined) ?? [];
    for (const tuple of tuples)
      if (typeof tuple['TargetGroupArn'] === 'string') arns.push(tuple['TargetGroupArn']);
  }
  return [...new Set(arns)];
}

function describeAction(action: Json): string {
  const type = text(action['Type']);
  if (type === 'fixed-response')
    return `fixed-response ${text((action['FixedResponseConfig'] as Json)?.['StatusCode'])}`;
  if (type === 'redirect') return 'redirect';
  return type;
}

export function buildTopology(elbv2: Elbv2Service, cluster: SimulatedCluster): TopologyView {
  const dump = elbv2.dump() as { loadBalancers: Json[]; targetGroups: Json[]; listeners: Json[] };
  const groups = new Map<string, TargetGroupView>();
  for (const group of dump.targetGroups) {
    const arn = text(group['TargetGroupArn']);
    groups.set(arn, {
      arn,
      name: text(group['TargetGroupName']),
      protocol: text(group['Protocol']),
      port: Number(group['Port'] ?? 0),
      targetType: text(group['TargetType']),
      targets: ((group['Targets'] as Json[] | undefined) ?? []).map((description) => {
        const target = (description['Target'] as Json | undefined) ?? {};
        const health = (description['TargetHealth'] as Json | undefined) ?? {};
        return {
          id: text(target['Id']),
          port: Number(target['Port'] ?? 0),
          state: text(health['State']),
          ...(health['Reason'] === undefined ? {} : { reason: text(health['Reason']) }),
        };
      }),
    });
  }
  const reached = new Set<string>();
  const loadBalancers: LoadBalancerView[] = dump.loadBalancers.map((balancer) => {
    const arn = text(balancer['LoadBalancerArn']);
    const listeners: ListenerView[] = dump.listeners
      .filter((listener) => listener['LoadBalancerArn'] === arn)
      .sort((a, b) => Number(a['Port']) - Number(b['Port']))
      .map((listener) => {
        const rules: RuleView[] = ((listener['Rules'] as Json[] | undefined) ?? [])
          .map((rule) => {
            const actions = (rule['Actions'] as Json[] | undefined) ?? [];
            const arns = forwardedGroups(actions);
            for (const groupArn of arns) reached.add(groupArn);
            return {
              priority: text(rule['Priority']),
              conditions: ((rule['Conditions'] as Json[] | undefined) ?? []).map(describeCondition),
              actions: actions.map(describeAction),
              targetGroups: arns.flatMap((groupArn) => groups.get(groupArn) ?? []),
            };
          })
          .sort(byPriority);
        return {
          arn: text(listener['ListenerArn']),
          protocol: text(listener['Protocol']),
          port: Number(listener['Port']),
          rules,
        };
      });
    return {
      arn,
      name: text(balancer['LoadBalancerName']),
      type: text(balancer['Type']),
      scheme: text(balancer['Scheme']),
      dnsName: text(balancer['DNSName']),
      state: text((balancer['State'] as Json | undefined)?.['Code']),
      listeners,
    };
  });
  return {
    loadBalancers,
    orphanTargetGroups: [...groups.values()].filter((group) => !reached.has(group.arn)),
    statuses: objectStatuses(cluster),
  };
}

function byPriority(a: RuleView, b: RuleView): number {
  const rank = (rule: RuleView) =>
    rule.priority === 'default' ? Number.POSITIVE_INFINITY : Number(rule.priority);
  return rank(a) - rank(b);
}

export function objectStatuses(cluster: SimulatedCluster): ObjectStatusView[] {
  const statuses: ObjectStatusView[] = [];
  const hostnames = (object: Json) =>
    (
      (((object['status'] as Json | undefined)?.['loadBalancer'] as Json | undefined)?.['ingress'] as
        | Json[]
        | undefined) ?? []
    )
      .map((entry) => text(entry['hostname'] ?? entry['ip']))
      .filter(Boolean);
  const keyOf = (object: Json) => {
    const metadata = object['metadata'] as Json;
    return `${text(metadata['namespace'])}/${text(metadata['name'])}`;
  };
  for (const ingress of cluster.list('Ingress') as unknown as Json[])
    statuses.push({ kind: 'Ingress', key: keyOf(ingress), hostnames: hostnames(ingress) });
  for (const service of cluster.list('Service') as unknown as Json[]) {
    if ((service['spec'] as Json | undefined)?.['type'] !== 'LoadBalancer') continue;
    statuses.push({ kind: 'Service', key: keyOf(service), hostnames: hostnames(service) });
  }
  return statuses;
}

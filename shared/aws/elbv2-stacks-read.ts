import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type ElasticLoadBalancingV2Client,
  type TargetGroup as SdkTargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { TAG_KEYS } from '../model/tags.js';
import type {
  ActualListener,
  ActualLoadBalancer,
  ActualRule,
  ActualStack,
  ActualTargetGroup,
  TagMap,
} from '../plan/stack-actual.js';
import { fromSdkActions, fromSdkConditions, fromSdkHealthCheck } from './elbv2-stacks-convert.js';
import type { StackCall } from './elbv2-stacks-errors.js';

/**
 * Reading a stack's actual ELBv2 state: every load balancer and target group is listed and kept
 * only when its tags carry the stack's (tags, never names, say what is ours); listeners and rules
 * follow from the kept load balancers. DescribeTags takes 20 ARNs per call.
 */
const TAG_BATCH = 20;

export type Elbv2ActualStack = Omit<ActualStack, 'securityGroups'>;

export async function findElbv2Stack(
  client: ElasticLoadBalancingV2Client,
  call: StackCall,
  want: TagMap,
): Promise<Elbv2ActualStack> {
  async function tagsOf(arns: string[]): Promise<Map<string, TagMap>> {
    const out = new Map<string, TagMap>();
    for (let i = 0; i < arns.length; i += TAG_BATCH) {
      const part = arns.slice(i, i + TAG_BATCH);
      const result = await call('DescribeTags', `${part.length} resources`, () =>
        client.send(new DescribeTagsCommand({ ResourceArns: part })),
      );
      for (const description of result.TagDescriptions ?? []) {
        const tags: TagMap = {};
        for (const tag of description.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
        out.set(description.ResourceArn ?? '', tags);
      }
    }
    return out;
  }

  const matches = (tags: TagMap | undefined, want: TagMap) =>
    tags !== undefined && Object.entries(want).every(([key, value]) => tags[key] === value);

  // ---- load balancers
  const balancers: ActualLoadBalancer[] = [];
  let marker: string | undefined;
  const allBalancers = [];
  do {
    const page = await call('DescribeLoadBalancers', 'all', () =>
      client.send(new DescribeLoadBalancersCommand({ ...(marker ? { Marker: marker } : {}), PageSize: 400 })),
    );
    allBalancers.push(...(page.LoadBalancers ?? []));
    marker = page.NextMarker;
  } while (marker);
  const lbTags = await tagsOf(allBalancers.map((lb) => lb.LoadBalancerArn ?? ''));
  for (const lb of allBalancers) {
    const arn = lb.LoadBalancerArn ?? '';
    const tags = lbTags.get(arn);
    if (!matches(tags, want)) continue;
    const attributes = await call('DescribeLoadBalancerAttributes', arn, () =>
      client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })),
    );
    balancers.push({
      arn,
      name: lb.LoadBalancerName ?? '',
      type: lb.Type === 'network' ? 'network' : 'application',
      scheme: lb.Scheme === 'internet-facing' ? 'internet-facing' : 'internal',
      ipAddressType: (lb.IpAddressType ?? 'ipv4') as ActualLoadBalancer['ipAddressType'],
      dnsName: lb.DNSName ?? '',
      subnetIds: (lb.AvailabilityZones ?? []).flatMap((zone) => (zone.SubnetId ? [zone.SubnetId] : [])),
      securityGroups: lb.SecurityGroups ?? [],
      attributes: Object.fromEntries((attributes.Attributes ?? []).map((a) => [a.Key ?? '', a.Value ?? ''])),
      tags: tags ?? {},
    });
  }
  const listeners: ActualListener[] = [];
  const rules: ActualRule[] = [];
  for (const lb of balancers) {
    let listenerMarker: string | undefined;
    do {
      const page = await call('DescribeListeners', lb.arn, () =>
        client.send(
          new DescribeListenersCommand({
            LoadBalancerArn: lb.arn,
            ...(listenerMarker ? { Marker: listenerMarker } : {}),
          }),
        ),
      );
      for (const listener of page.Listeners ?? []) {
        listeners.push({
          arn: listener.ListenerArn ?? '',
          loadBalancerArn: lb.arn,
          port: listener.Port ?? 0,
          protocol: (listener.Protocol ?? 'HTTP') as ActualListener['protocol'],
          defaultActions: fromSdkActions(listener.DefaultActions),
          certificates: (listener.Certificates ?? []).flatMap((c) =>
            c.CertificateArn ? [c.CertificateArn] : [],
          ),
          ...(listener.SslPolicy ? { sslPolicy: listener.SslPolicy } : {}),
          ...(listener.AlpnPolicy ? { alpnPolicy: listener.AlpnPolicy } : {}),
        });
      }
      listenerMarker = page.NextMarker;
    } while (listenerMarker);
  }
  for (const listener of listeners) {
    const found = [];
    let ruleMarker: string | undefined;
    do {
      const page = await call('DescribeRules', listener.arn, () =>
        client.send(
          new DescribeRulesCommand({
            ListenerArn: listener.arn,
            ...(ruleMarker ? { Marker: ruleMarker } : {}),
          }),
        ),
      );
      found.push(...(page.Rules ?? []).filter((rule) => !rule.IsDefault));
      ruleMarker = page.NextMarker;
    } while (ruleMarker);
    const ruleTags = await tagsOf(found.map((rule) => rule.RuleArn ?? ''));
    for (const rule of found) {
      rules.push({
        arn: rule.RuleArn ?? '',
        listenerArn: listener.arn,
        priority: Number(rule.Priority),
        actions: fromSdkActions(rule.Actions),
        conditions: fromSdkConditions(rule.Conditions),
        tags: ruleTags.get(rule.RuleArn ?? '') ?? {},
      });
    }
  }
  const allGroups: SdkTargetGroup[] = [];
  marker = undefined;
  do {
    const page = await call('DescribeTargetGroups', 'all', () =>
      client.send(new DescribeTargetGroupsCommand({ ...(marker ? { Marker: marker } : {}), PageSize: 400 })),
    );
    allGroups.push(...(page.TargetGroups ?? []));
    marker = page.NextMarker;
  } while (marker);
  const groupTags = await tagsOf(allGroups.map((group) => group.TargetGroupArn ?? ''));
  const targetGroups: ActualTargetGroup[] = [];
  for (const group of allGroups) {
    const arn = group.TargetGroupArn ?? '';
    const tags = groupTags.get(arn);
    if (!matches(tags, want)) continue;
    const attributes = await call('DescribeTargetGroupAttributes', arn, () =>
      client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
    );
    targetGroups.push({
      arn,
      name: group.TargetGroupName ?? '',
      targetType: group.TargetType === 'instance' ? 'instance' : 'ip',
      protocol: (group.Protocol ?? 'HTTP') as ActualTargetGroup['protocol'],
      ...(group.ProtocolVersion ? { protocolVersion: group.ProtocolVersion } : {}),
      port: group.Port ?? 0,
      vpcId: group.VpcId ?? '',
      ipAddressType: group.IpAddressType === 'ipv6' ? 'ipv6' : 'ipv4',
      healthCheck: fromSdkHealthCheck(group),
      attributes: Object.fromEntries((attributes.Attributes ?? []).map((a) => [a.Key ?? '', a.Value ?? ''])),
      tags: tags ?? {},
    });
  }
  await countHealthyDuringReplacement(client, call, targetGroups);
  return { loadBalancers: balancers, listeners, rules, targetGroups };
}

const RESOURCE_TAGS = [TAG_KEYS.ingressResource, TAG_KEYS.serviceResource];

/**
 * Two target groups with one resource tag are a replacement under way: the plan moves the rules
 * to the new one once it has a healthy target, so their targets' health is read. Otherwise it is not (one
 * call per group per pass would be the price of every reconcile).
 */
async function countHealthyDuringReplacement(
  client: ElasticLoadBalancingV2Client,
  call: StackCall,
  targetGroups: ActualTargetGroup[],
): Promise<void> {
  const byResource = new Map<string, ActualTargetGroup[]>();
  for (const group of targetGroups) {
    const tag = RESOURCE_TAGS.find((key) => group.tags[key] !== undefined);
    if (tag === undefined) continue;
    const key = `${tag}=${group.tags[tag]}`;
    byResource.set(key, [...(byResource.get(key) ?? []), group]);
  }
  for (const groups of byResource.values()) {
    if (groups.length < 2) continue;
    for (const group of groups) {
      const health = await call('DescribeTargetHealth', group.arn, () =>
        client.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.arn })),
      );
      group.healthyTargets = (health.TargetHealthDescriptions ?? []).filter(
        (target) => target.TargetHealth?.State === 'healthy',
      ).length;
    }
  }
}

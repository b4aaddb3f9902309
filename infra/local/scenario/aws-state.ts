/**
 * Reads the load balancers, target groups and security groups through the real SDK clients,
 * as an operator's `aws elbv2 describe-*` would see them, and shapes them for the report:
 * ARNs replaced by names, lists sorted, so two runs of the same scenario compare directly.
 */
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { TAG_KEYS } from '../../../shared/model/tags.js';
import type { ReportLoadBalancer, ReportSecurityGroup, ReportTargetGroup } from './report.js';

export interface AwsState {
  loadBalancers: ReportLoadBalancer[];
  targetGroups: ReportTargetGroup[];
  securityGroups: ReportSecurityGroup[];
}

export interface AwsStateOptions {
  endpoint: string;
  region: string;
  /** security groups are reported when they carry this cluster's tag; LBs and TGs without it are `foreign` */
  clusterName: string;
}

// Chaos may throttle ELBv2; the report's reads retry well past what the functions do.
const READ_ATTEMPTS = 12;

export async function readAwsState(options: AwsStateOptions): Promise<AwsState> {
  const config = { endpoint: options.endpoint, region: options.region, maxAttempts: READ_ATTEMPTS };
  const elbv2 = new ElasticLoadBalancingV2Client({ ...config, retryMode: 'adaptive' });
  const ec2 = new EC2Client(config);
  try {
    const loadBalancers = await pages((marker) =>
      elbv2.send(new DescribeLoadBalancersCommand({ Marker: marker })).then((r) => ({
        items: r.LoadBalancers ?? [],
        next: r.NextMarker,
      })),
    );
    const targetGroups = await pages((marker) =>
      elbv2.send(new DescribeTargetGroupsCommand({ Marker: marker })).then((r) => ({
        items: r.TargetGroups ?? [],
        next: r.NextMarker,
      })),
    );
    const names = new Map<string, string>();
    for (const lb of loadBalancers) names.set(lb.LoadBalancerArn ?? '', lb.LoadBalancerName ?? '');
    for (const tg of targetGroups) names.set(tg.TargetGroupArn ?? '', tg.TargetGroupName ?? '');
    const tags = await readTags(elbv2, [...names.keys()]);
    return {
      loadBalancers: byName(
        await Promise.all(
          loadBalancers.map((lb) => describeLoadBalancer(elbv2, lb, tags, names, options.clusterName)),
        ),
      ),
      targetGroups: byName(
        await Promise.all(
          targetGroups.map((tg) => describeTargetGroup(elbv2, tg, tags, options.clusterName)),
        ),
      ),
      securityGroups: await readSecurityGroups(ec2, options.clusterName),
    };
  } finally {
    elbv2.destroy();
    ec2.destroy();
  }
}

async function pages<T>(
  page: (marker: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
) {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const { items, next } = await page(marker);
    all.push(...items);
    marker = next;
  } while (marker);
  return all;
}

async function readTags(elbv2: ElasticLoadBalancingV2Client, arns: string[]) {
  const tags = new Map<string, Record<string, string>>();
  // DescribeTags takes at most 20 ARNs per call
  for (let i = 0; i < arns.length; i += 20) {
    const answer = await elbv2.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
    for (const description of answer.TagDescriptions ?? [])
      tags.set(
        description.ResourceArn ?? '',
        sortedRecord((description.Tags ?? []).map((t) => [t.Key, t.Value])),
      );
  }
  return tags;
}

async function describeLoadBalancer(
  elbv2: ElasticLoadBalancingV2Client,
  lb: LoadBalancer,
  tags: Map<string, Record<string, string>>,
  names: Map<string, string>,
  clusterName: string,
): Promise<ReportLoadBalancer> {
  const arn = lb.LoadBalancerArn ?? '';
  const attributes = await elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
  const listeners = await pages((marker) =>
    elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: arn, Marker: marker })).then((r) => ({
      items: r.Listeners ?? [],
      next: r.NextMarker,
    })),
  );
  const described = await Promise.all(
    listeners.map(async (listener) => {
      const rules = await pages((marker) =>
        elbv2
          .send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, Marker: marker }))
          .then((r) => ({
            items: r.Rules ?? [],
            next: r.NextMarker,
          })),
      );
      return {
        port: listener.Port ?? 0,
        protocol: listener.Protocol ?? '',
        defaultActions: withNames(listener.DefaultActions ?? [], names),
        rules: rules
          .filter((rule) => !rule.IsDefault)
          .map((rule) => ({
            priority: Number(rule.Priority),
            conditions: withNames(rule.Conditions ?? [], names),
            actions: withNames(rule.Actions ?? [], names),
          }))
          .sort((a, b) => a.priority - b.priority),
      };
    }),
  );
  return {
    name: lb.LoadBalancerName ?? '',
    foreign: isForeign(tags.get(arn), clusterName),
    type: lb.Type ?? '',
    scheme: lb.Scheme ?? '',
    dnsName: lb.DNSName ?? '',
    tags: tags.get(arn) ?? {},
    attributes: sortedRecord((attributes.Attributes ?? []).map((a) => [a.Key, a.Value])),
    listeners: described.sort((a, b) => a.port - b.port || byCodePoint(a.protocol, b.protocol)),
  };
}

async function describeTargetGroup(
  elbv2: ElasticLoadBalancingV2Client,
  tg: TargetGroup,
  tags: Map<string, Record<string, string>>,
  clusterName: string,
): Promise<ReportTargetGroup> {
  const arn = tg.TargetGroupArn ?? '';
  const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
  const targets = (health.TargetHealthDescriptions ?? [])
    .map((d) => ({
      id: d.Target?.Id ?? '',
      port: d.Target?.Port ?? 0,
      state: d.TargetHealth?.State ?? 'unknown',
    }))
    .sort((a, b) => byCodePoint(a.id, b.id) || a.port - b.port);
  return {
    name: tg.TargetGroupName ?? '',
    foreign: isForeign(tags.get(arn), clusterName),
    targetType: tg.TargetType ?? '',
    protocol: tg.Protocol ?? '',
    port: tg.Port ?? 0,
    tags: tags.get(arn) ?? {},
    healthCheck: {
      protocol: tg.HealthCheckProtocol,
      port: tg.HealthCheckPort,
      path: tg.HealthCheckPath,
      intervalSeconds: tg.HealthCheckIntervalSeconds,
      timeoutSeconds: tg.HealthCheckTimeoutSeconds,
      healthyThresholdCount: tg.HealthyThresholdCount,
      unhealthyThresholdCount: tg.UnhealthyThresholdCount,
      matcher: tg.Matcher,
    },
    targets,
  };
}

async function readSecurityGroups(ec2: EC2Client, clusterName: string): Promise<ReportSecurityGroup[]> {
  const answer = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [{ Name: `tag:${TAG_KEYS.cluster}`, Values: [clusterName] }],
    }),
  );
  return byName(
    (answer.SecurityGroups ?? []).map((group) => ({
      name: group.GroupName ?? '',
      tags: sortedRecord((group.Tags ?? []).map((t) => [t.Key, t.Value])),
    })),
  );
}

/** not tagged as this cluster's: every load balancer in the account is reported, ours or not */
function isForeign(tags: Record<string, string> | undefined, clusterName: string): boolean {
  return tags?.[TAG_KEYS.cluster] !== clusterName;
}

/** Deep copy with every string that is a known ARN replaced by the resource's name. */
function withNames<T>(value: T, names: Map<string, string>): T {
  return JSON.parse(JSON.stringify(value), (_key, field: unknown) =>
    typeof field === 'string' && names.has(field) ? names.get(field) : field,
  ) as T;
}

function sortedRecord(pairs: [string | undefined, string | undefined][]): Record<string, string> {
  return Object.fromEntries(
    pairs.map(([k, v]) => [k ?? '', v ?? ''] as const).sort(([a], [b]) => byCodePoint(a, b)),
  );
}

function byName<T extends { name: string }>(items: T[]): T[] {
  return items.sort((a, b) => byCodePoint(a.name, b.name));
}

/** code-point order, as `sort()` with no comparator and most outside tools sort strings */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The ELBv2 service's in-memory state, keyed by ARN. Records are stored in (almost) the shape
 * AWS returns them, so describing is a projection rather than a translation. Maps keep
 * insertion order, which gives every Describe* a stable order for pagination.
 */
import { createHash } from 'node:crypto';
import type { ServiceContext } from '../context.js';
import { type Elbv2Deps, RESOURCE_IN_USE_LINGER_MS } from '../service.js';
import { fail } from './input.js';

export type LoadBalancerType = 'application' | 'network';

export interface ZoneRecord {
  ZoneName: string;
  SubnetId: string;
}

export interface LoadBalancerRecord {
  arn: string;
  name: string;
  type: LoadBalancerType;
  scheme: 'internet-facing' | 'internal';
  ipAddressType: string;
  zones: ZoneRecord[];
  securityGroups: string[];
  dnsName: string;
  createdAt: Date;
  attributes: Map<string, string>;
}

export interface HealthCheck {
  enabled: boolean;
  protocol: string | undefined;
  port: string;
  path: string | undefined;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: { HttpCode?: string; GrpcCode?: string } | undefined;
}

/** What the health state machine remembers between observations (see health.ts). */
export interface HealthTracker {
  /** the target group's usage epoch this tracker belongs to; a mismatch resets it */
  epoch: number;
  /** checks happen at anchorAt + n × interval */
  anchorAt: number;
  checksDone: number;
  state: 'initial' | 'healthy' | 'unhealthy';
  consecutiveOk: number;
  consecutiveFail: number;
}

export interface TargetRecord {
  id: string;
  port: number | undefined;
  /** as given at registration (`all` or a zone), else the zone detected from the subnet */
  availabilityZone: string | undefined;
  registeredAt: number;
  /** set by DeregisterTargets: the target is `draining` until this instant, then gone */
  drainingUntil: number | undefined;
  health: HealthTracker;
  /** the target as DescribeTargetHealth shows it; fixed at registration, frozen and shared */
  description: Readonly<{ Id: string; Port: number | undefined; AvailabilityZone: string | undefined }>;
  /** its port as a string, for `HealthCheckPort: traffic-port` */
  portText: string | undefined;
}

export type TargetType = 'instance' | 'ip' | 'lambda' | 'alb';

export interface TargetGroupRecord {
  arn: string;
  name: string;
  protocol: string | undefined;
  protocolVersion: string | undefined;
  port: number | undefined;
  vpcId: string | undefined;
  targetType: TargetType;
  ipAddressType: string;
  healthCheck: HealthCheck;
  attributes: Map<string, string>;
  /** keyed by `id:port` */
  targets: Map<string, TargetRecord>;
  drainingCount: number;
  /** load balancers whose listeners or rules forward here (derived after every change) */
  loadBalancerArns: string[];
  /** bumped whenever the group goes in or out of use; health trackers of an older epoch restart */
  usageEpoch: number;
  inUseSince: number | undefined;
}

/** An action as AWS describes it (`Type`, `Order`, `TargetGroupArn`, `ForwardConfig`, ...). */
export type ActionRecord = Record<string, unknown> & { Type: string; Order: number };

/** A condition as AWS describes it (`Field`, `Values`, `HostHeaderConfig`, ...). */
export type ConditionRecord = Record<string, unknown> & { Field: string };

export interface ListenerRecord {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  certificates: { CertificateArn: string }[];
  sslPolicy: string | undefined;
  alpnPolicy: string[];
  defaultRuleArn: string;
  /** set by ModifyListenerAttributes; the rest are the protocol's defaults (listener-attributes.ts) */
  attributes?: Map<string, string>;
}

export interface RuleRecord {
  arn: string;
  listenerArn: string;
  /** `default` for the listener's default rule */
  priority: number | 'default';
  conditions: ConditionRecord[];
  actions: ActionRecord[];
}

export type HealthProbe = (targetGroup: TargetGroupRecord, target: TargetRecord) => boolean;

export interface Elbv2State {
  readonly ctx: ServiceContext;
  readonly deps: Elbv2Deps;
  readonly loadBalancers: Map<string, LoadBalancerRecord>;
  readonly targetGroups: Map<string, TargetGroupRecord>;
  readonly listeners: Map<string, ListenerRecord>;
  readonly rules: Map<string, RuleRecord>;
  readonly tags: Map<string, Map<string, string>>;
  probe: HealthProbe;
  sequence: number;
  /** target group ARN -> clock ms until which DeleteTargetGroup still answers ResourceInUse */
  readonly releasedAt: Map<string, number>;
  readonly resourceInUseLingerMs: number;
}

export function createState(ctx: ServiceContext, deps: Elbv2Deps): Elbv2State {
  const linger = deps.resourceInUseLingerMs;
  if (linger !== undefined && !(Number.isFinite(linger) && linger >= 0))
    throw new TypeError(`ELBv2 option resourceInUseLingerMs must be a number >= 0, got ${linger}`);
  return {
    ctx,
    deps,
    loadBalancers: new Map(),
    targetGroups: new Map(),
    listeners: new Map(),
    rules: new Map(),
    tags: new Map(),
    probe: () => true,
    sequence: 0,
    releasedAt: new Map(),
    resourceInUseLingerMs: deps.resourceInUseLingerMs ?? RESOURCE_IN_USE_LINGER_MS,
  };
}

/** 16 hex digits, unique within this endpoint and reproducible from run to run */
export function nextId(state: Elbv2State, seed: string): string {
  state.sequence += 1;
  return createHash('sha256').update(`${seed}/${state.sequence}`).digest('hex').slice(0, 16);
}

export function arnPrefix(state: Elbv2State): string {
  return `arn:aws:elasticloadbalancing:${state.ctx.region}:${state.ctx.account}`;
}

export function loadBalancerKind(type: LoadBalancerType): 'app' | 'net' {
  return type === 'application' ? 'app' : 'net';
}

export function getLoadBalancer(state: Elbv2State, arn: string): LoadBalancerRecord {
  const found = state.loadBalancers.get(arn);
  if (!found) fail('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
  return found;
}

export function getTargetGroup(state: Elbv2State, arn: string): TargetGroupRecord {
  const found = state.targetGroups.get(arn);
  if (!found) fail('TargetGroupNotFound', `Target group '${arn}' not found`);
  return found;
}

export function getListener(state: Elbv2State, arn: string): ListenerRecord {
  const found = state.listeners.get(arn);
  if (!found) fail('ListenerNotFound', `Listener '${arn}' not found`);
  return found;
}

export function getRule(state: Elbv2State, arn: string): RuleRecord {
  const found = state.rules.get(arn);
  if (!found) fail('RuleNotFound', `Rule '${arn}' not found`);
  return found;
}

/** the non-default rules of a load balancer, for the rules-per-load-balancer quota */
export function countRules(state: Elbv2State, loadBalancerArn: string): number {
  let count = 0;
  for (const rule of state.rules.values()) {
    if (rule.priority === 'default') continue;
    if (state.listeners.get(rule.listenerArn)?.loadBalancerArn === loadBalancerArn) count++;
  }
  return count;
}

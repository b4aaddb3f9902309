/**
 * The contract between the local endpoint's server (protocols, routing, faults, counters) and
 * each emulated AWS service. A service sees decoded input and returns a plain Result object;
 * it never touches HTTP, XML or JSON framing. The server picks the codec by protocol:
 *
 * - awsQuery (ELBv2, STS) and EC2 query: `input` is the form body decoded into nested values,
 *   so `Targets.member.1.Id=i-1&Targets.member.1.Port=80` arrives as
 *   `{ Targets: [{ Id: 'i-1', Port: '80' }] }` (scalars stay strings: the service coerces and
 *   validates them, as AWS does), and EC2's `Filter.1.Value.1` as `{ Filter: [{ Value: [..] }] }`.
 *   The returned object is serialised as `<ActionResult>` (query) or the response root (EC2);
 *   arrays become `<member>` / `<item>` lists, Dates ISO-8601, booleans `true`/`false`.
 * - JSON 1.1 (EventBridge): `input` is the parsed JSON body; the return value is sent as JSON.
 *   Return Date values as Date: the codec writes them as epoch seconds, as the SDK expects.
 * - REST-JSON (EKS): the server maps the path to an action and its input itself.
 *
 * Errors: throw `AwsApiError(code, message, status?)` with the code AWS sends (e.g.
 * `PriorityInUse`, `TargetGroupNotFound`, `ResourceNotFoundException`, `ValidationError`); the
 * server renders it in the protocol's error shape so the SDK raises the modelled exception.
 * Anything else thrown becomes `InternalFailure` (500).
 */
import type { ServiceContext } from './context.js';

export { AwsApiError } from './api-error.js';

export interface LocalService {
  /** the service's name in counters and fault selectors: `elbv2`, `ec2`, `sts`, `eks`, `events` */
  readonly name: string;
  /** answers one API call; `action` is the AWS action name, e.g. `RegisterTargets` */
  handle(action: string, input: Record<string, unknown>): Promise<unknown> | unknown;
  /** the service's state as plain JSON, for `GET /_local/state` and `LocalAws.dump()` */
  dump?(): unknown;
  /** releases timers and other resources when the endpoint stops */
  stop?(): Promise<void> | void;
}

/** Builds a service from the shared context (and, for ELBv2, its dependencies). */
export type ServiceFactory<Deps = undefined> = (ctx: ServiceContext, deps: Deps) => LocalService;

/** An EC2 instance as the simulated cluster registers it (one per node). */
export interface InstanceSeed {
  /** `i-` and 8 or 17 hex digits */
  id: string;
  subnetId: string;
  /** must lie in the subnet's CIDR */
  privateIp: string;
  /** defaults to the subnet's zone; must match it when given */
  availabilityZone?: string;
  /** defaults to `m5.large` */
  instanceType?: string;
  /** defaults to `running` */
  state?: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  tags?: Record<string, string>;
}

export interface SubnetView {
  id: string;
  vpcId: string;
  availabilityZone: string;
  cidr: string;
  tags: Record<string, string>;
}

export interface InstanceView {
  id: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  privateIp: string;
  state: string;
}

/**
 * What ELBv2 reads from EC2: validating instance and IP targets, subnets of a load balancer,
 * security groups it is given. Read-only; it reflects the EC2 service's live state.
 */
export interface Ec2View {
  readonly vpcId: string;
  readonly vpcCidr: string;
  instanceExists(id: string): boolean;
  instanceById(id: string): InstanceView | undefined;
  subnetById(id: string): SubnetView | undefined;
  securityGroupExists(id: string): boolean;
  /** true when `ip` (IPv4 dotted quad) lies inside `cidr` (e.g. `10.0.0.0/16`) */
  ipInCidr(ip: string, cidr: string): boolean;
}

/**
 * AWS's documented default quotas (aws-elbv2.md §4); `startLocalAws({ quotas })` overrides
 * them, e.g. to exercise `TooManyRules` with a handful of rules.
 */
export interface Quotas {
  loadBalancersPerRegion: number;
  listenersPerLoadBalancer: number;
  /** excluding default rules */
  rulesPerLoadBalancer: number;
  conditionValuesPerRule: number;
  targetGroupsPerRegion: number;
  targetGroupsPerLoadBalancer: number;
  targetGroupsPerAction: number;
  targetsPerTargetGroup: number;
  targetsPerLoadBalancer: number;
  tagsPerResource: number;
  securityGroupsPerVpc: number;
  rulesPerSecurityGroup: number;
}

export const DEFAULT_QUOTAS: Readonly<Quotas> = Object.freeze({
  loadBalancersPerRegion: 50,
  listenersPerLoadBalancer: 50,
  rulesPerLoadBalancer: 100,
  conditionValuesPerRule: 5,
  targetGroupsPerRegion: 3000,
  targetGroupsPerLoadBalancer: 100,
  targetGroupsPerAction: 5,
  targetsPerTargetGroup: 1000,
  targetsPerLoadBalancer: 1000,
  tagsPerResource: 50,
  securityGroupsPerVpc: 2500,
  rulesPerSecurityGroup: 60,
});

/** What `createElbv2Service(ctx, deps)` in ./elbv2/index.ts receives. */
export interface Elbv2Deps {
  ec2: Ec2View;
  quotas: Quotas;
  /**
   * Clock ms a target group keeps answering `ResourceInUse` to DeleteTargetGroup after the load
   * balancer whose listeners used it was deleted (AWS releases it asynchronously; the LBC polls
   * up to 20 s for it). Default RESOURCE_IN_USE_LINGER_MS; 0 turns it off.
   */
  resourceInUseLingerMs?: number;
}

/** a realistic linger: AWS frees the group within seconds, inside the LBC's 20 s wait */
export const RESOURCE_IN_USE_LINGER_MS = 10_000;

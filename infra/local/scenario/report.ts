import type { KubeEventRecord } from '../cluster/index.js';
import type { AwsCallRecord } from './aws-call.js';
import type { TrafficTotals } from './traffic.js';

/**
 * The report a scenario run writes (docs/scenarios.md). Shapes follow the ELBv2 API as the SDK
 * reads it, with every ARN replaced by its resource's name so two runs compare directly.
 */

export interface ReportRule {
  /** a number, or 'default' for the listener's default rule */
  priority: number | 'default';
  conditions: unknown[];
  actions: unknown[];
}

export interface ReportListener {
  port: number;
  protocol: string;
  defaultActions: unknown[];
  rules: ReportRule[];
}

export interface ReportLoadBalancer {
  name: string;
  /** true when it lacks this cluster's elbv2.k8s.aws/cluster tag: slbc did not make it (e.g. an `aws` step did) */
  foreign: boolean;
  type: string;
  scheme: string;
  dnsName: string;
  tags: Record<string, string>;
  attributes: Record<string, string>;
  listeners: ReportListener[];
}

export interface ReportTarget {
  id: string;
  port: number;
  state: string;
}

export interface ReportTargetGroup {
  name: string;
  /** true when it lacks this cluster's elbv2.k8s.aws/cluster tag */
  foreign: boolean;
  targetType: string;
  protocol: string;
  port: number;
  tags: Record<string, string>;
  healthCheck: Record<string, unknown>;
  targets: ReportTarget[];
}

export interface ReportSecurityGroup {
  name: string;
  tags: Record<string, string>;
}

export interface ReportError {
  kind: string;
  namespace?: string;
  name: string;
  field?: string;
  message: string;
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export interface ReportCounters {
  auditLines: number;
  busEvents: number;
  dlq: number;
  /** invocations that failed after Lambda's async retries (the on-failure destination) */
  failedInvocations: number;
  crashes: number;
  invocations: Record<string, number>;
  elbv2: Record<string, number>;
  /** capacity units, and item calls per action (GetItem, Query, PutItem, ...) */
  dynamodb: { writeUnits: number; readUnits: number; calls: Record<string, number> };
}

export interface ReportStep {
  index: number;
  kind: string;
  /** ELBv2 calls per action from the start of the step until it settled */
  elbv2: Record<string, number>;
  /** events put on the bus (PutEvents) from the start of the step until it settled */
  busEvents: number;
  /** events the bus rules delivered to functions in the same span (replayed ones included) */
  busDeliveries: number;
  /** function invocations per function in the same span */
  invocations: Record<string, number>;
  /** false when the step did not settle within the settle timeout */
  settled: boolean;
  /** wall ms the step took */
  wallMs: number;
  /** an `aws` step's call and its output (or the expected error) */
  aws?: AwsCallRecord;
  /** a `wipe` step: the items deleted from the state table */
  wiped?: number;
}

export interface Report {
  scenario: string;
  converged: boolean;
  /** why it is not converged, from LocalSystem.convergence() (empty when converged) */
  differences: string[];
  loadBalancers: ReportLoadBalancer[];
  targetGroups: ReportTargetGroup[];
  /** security groups carrying the scenario cluster's tag (elbv2.k8s.aws/cluster) */
  securityGroups: ReportSecurityGroup[];
  /** `Kind/ns/name` → the hostname in its status */
  status: Record<string, string>;
  errors: ReportError[];
  /**
   * the Kubernetes Events the cluster holds (written through its API: events.k8s.io/v1, whose
   * `regarding` is `involvedObject` here, or core/v1), oldest first; `count` is series.count
   */
  kubeEvents: KubeEventRecord[];
  /** requests of the scenario's `traffic` steps: sent, answered 2xx/3xx, failed, count per status (`0` = no load balancer answered) */
  traffic: TrafficTotals;
  counters: ReportCounters;
  steps: ReportStep[];
  /** clock ms per wall ms the run used */
  timeScale: number;
  /**
   * in clock ms (the runtime's scaled clock): pod Ready → target registered (audit lag
   * included), and slbc's processing alone: the first Endpoints event listing the IP ready on
   * the bus → target registered
   */
  latencyMs: { readyToRegistered: Percentiles; publishedToRegistered: Percentiles };
  /** resyncs the runner invoked after the last step because the system had not converged */
  healingResyncs: number;
  /** wall ms from the first step to the end of the final settle */
  wallMs: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0, samples: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0, samples: sorted.length };
}

/** `after - before` per action, zero counts left out. */
export function countDelta(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [action, count] of Object.entries(after)) {
    const diff = count - (before[action] ?? 0);
    if (diff > 0) delta[action] = diff;
  }
  return Object.fromEntries(Object.entries(delta).sort(([a], [b]) => a.localeCompare(b)));
}

const MUTATING = /^(Create|Delete|Modify|Register|Deregister|Set|AddTags|RemoveTags|Add|Remove)/;

/** the mutating ELBv2 calls in a step's counts (what a replay must not make) */
export function mutatingCalls(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([action]) => MUTATING.test(action)));
}

/**
 * The topology view `slbc status` prints (from AWS) and the local runtime builds (from the local
 * ELBv2): load balancers -> listeners -> rules -> target groups -> targets. Plain values, no
 * I/O, so the production CLI and the local runtime share them without one importing the other.
 */
type Json = Record<string, unknown>;
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

export interface TargetView {
  id: string;
  port: number;
  state: string;
  reason?: string;
}

export interface TargetGroupView {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  targetType: string;
  targets: TargetView[];
}

export interface RuleView {
  priority: string;
  conditions: string[];
  actions: string[];
  targetGroups: TargetGroupView[];
}

export interface ListenerView {
  arn: string;
  protocol: string;
  port: number;
  rules: RuleView[];
}

export interface LoadBalancerView {
  arn: string;
  name: string;
  type: string;
  scheme: string;
  dnsName: string;
  state: string;
  listeners: ListenerView[];
}

export interface ObjectStatusView {
  kind: 'Ingress' | 'Service';
  /** ns/name */
  key: string;
  hostnames: string[];
}

export interface TopologyView {
  loadBalancers: LoadBalancerView[];
  /** target groups no listener rule reaches (e.g. bound to a Service's NLB listener are reached) */
  orphanTargetGroups: TargetGroupView[];
  statuses: ObjectStatusView[];
}

/** An ELBv2 rule condition (SDK or wire shape) as `field=value|value`. */
export function describeCondition(condition: Json): string {
  const field = text(condition['Field']);
  const config =
    (condition['HostHeaderConfig'] as Json | undefined) ??
    (condition['PathPatternConfig'] as Json | undefined) ??
    (condition['HttpHeaderConfig'] as Json | undefined);
  const values =
    (config?.['Values'] as unknown[] | undefined) ?? (condition['Values'] as unknown[] | undefined) ?? [];
  return `${field}=${values.map(text).join('|')}`;
}

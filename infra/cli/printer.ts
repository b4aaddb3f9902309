/**
 * The topology as an indented tree, for `slbc local` and `slbc status`:
 *
 *   ALB k8s-demo-...  internal  active  internal-k8s-demo-....elb.amazonaws.com
 *   └─ HTTP:80
 *      ├─ 1  host-header=shop.example.com path-pattern=/|/*  -> forward
 *      │  └─ TG k8s-demo-shop-... HTTP:8080 ip
 *      │     ├─ 10.0.16.4:8080 healthy
 */
import type {
  ListenerView,
  ObjectStatusView,
  RuleView,
  TargetGroupView,
  TopologyView,
} from '../view/topology.js';

const TYPE_LABEL: Record<string, string> = { application: 'ALB', network: 'NLB', gateway: 'GWLB' };

/** the two prefixes of a tree item: its own line's, and the one its children continue with */
const joint = (prefix: string, last: boolean) => ({
  self: `${prefix}${last ? '└─ ' : '├─ '}`,
  child: `${prefix}${last ? '   ' : '│  '}`,
});

function targetGroupLines(lines: string[], group: TargetGroupView, prefix: string, last: boolean): void {
  const { self, child } = joint(prefix, last);
  lines.push(
    `${self}TG ${group.name}  ${group.protocol}:${group.port} ${group.targetType}  (${group.targets.length} targets)`,
  );
  for (const [index, target] of group.targets.entries()) {
    const reason = target.reason ? ` (${target.reason})` : '';
    lines.push(
      `${joint(child, index === group.targets.length - 1).self}${target.id}:${target.port}  ${target.state}${reason}`,
    );
  }
}

function ruleLines(lines: string[], rule: RuleView, prefix: string, last: boolean): void {
  const { self, child } = joint(prefix, last);
  const conditions = rule.conditions.length === 0 ? '' : `  ${rule.conditions.join(' ')}`;
  lines.push(`${self}${rule.priority}${conditions}  -> ${rule.actions.join(', ')}`);
  for (const [index, group] of rule.targetGroups.entries())
    targetGroupLines(lines, group, child, index === rule.targetGroups.length - 1);
}

function listenerLines(lines: string[], listener: ListenerView, last: boolean): void {
  const { self, child } = joint('', last);
  lines.push(`${self}${listener.protocol}:${listener.port}`);
  for (const [index, rule] of listener.rules.entries())
    ruleLines(lines, rule, child, index === listener.rules.length - 1);
}

export function renderTopology(view: TopologyView): string {
  const lines: string[] = [];
  if (view.loadBalancers.length === 0) lines.push('(no load balancers)');
  for (const balancer of view.loadBalancers) {
    lines.push(
      `${TYPE_LABEL[balancer.type] ?? balancer.type} ${balancer.name}  ${balancer.scheme}  ${balancer.state}  ${balancer.dnsName}`,
    );
    for (const [index, listener] of balancer.listeners.entries())
      listenerLines(lines, listener, index === balancer.listeners.length - 1);
  }
  if (view.orphanTargetGroups.length > 0) {
    lines.push('target groups no listener uses:');
    for (const [index, group] of view.orphanTargetGroups.entries())
      targetGroupLines(lines, group, '', index === view.orphanTargetGroups.length - 1);
  }
  if (view.statuses.length > 0) lines.push('', ...renderStatuses(view.statuses));
  return lines.join('\n');
}

export function renderStatuses(statuses: readonly ObjectStatusView[]): string[] {
  return statuses.map(
    (status) =>
      `${status.kind} ${status.key}: ${status.hostnames.length === 0 ? '(no hostname yet)' : status.hostnames.join(', ')}`,
  );
}

/** `[#######-------------] 35%`, for replay progress. */
export function progressBar(fraction: number, width = 30): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(clamped * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(clamped * 100)}%`;
}

/**
 * The topology as an indented tree, for `slbc local` and `slbc status`:
 *
 *   ALB k8s-demo-...  internal  active  internal-k8s-demo-....elb.amazonaws.com
 *   └─ HTTP:80
 *      ├─ 1  host-header=shop.example.com path-pattern=/|/*  -> forward
 *      │  └─ TG k8s-demo-shop-... HTTP:8080 ip
 *      │     ├─ 10.0.16.4:8080 healthy
 */
import type { ObjectStatusView, TargetGroupView, TopologyView } from '../local/runtime/system.js';

const TYPE_LABEL: Record<string, string> = { application: 'ALB', network: 'NLB', gateway: 'GWLB' };

function branch(
  lines: string[],
  prefix: string,
  items: readonly unknown[],
  render: (item: never, prefix: string, last: boolean) => void,
) {
  items.forEach((item, index) => render(item as never, prefix, index === items.length - 1));
}

function targetGroupLines(lines: string[], group: TargetGroupView, prefix: string, last: boolean): void {
  lines.push(
    `${prefix}${last ? '└─ ' : '├─ '}TG ${group.name}  ${group.protocol}:${group.port} ${group.targetType}  (${group.targets.length} targets)`,
  );
  const inner = `${prefix}${last ? '   ' : '│  '}`;
  group.targets.forEach((target, index) => {
    const tail = index === group.targets.length - 1 ? '└─ ' : '├─ ';
    lines.push(
      `${inner}${tail}${target.id}:${target.port}  ${target.state}${target.reason ? ` (${target.reason})` : ''}`,
    );
  });
}

export function renderTopology(view: TopologyView): string {
  const lines: string[] = [];
  if (view.loadBalancers.length === 0) lines.push('(no load balancers)');
  for (const balancer of view.loadBalancers) {
    lines.push(
      `${TYPE_LABEL[balancer.type] ?? balancer.type} ${balancer.name}  ${balancer.scheme}  ${balancer.state}  ${balancer.dnsName}`,
    );
    branch(
      lines,
      '',
      balancer.listeners,
      (listener: TopologyView['loadBalancers'][number]['listeners'][number], prefix, last) => {
        lines.push(`${prefix}${last ? '└─ ' : '├─ '}${listener.protocol}:${listener.port}`);
        const inner = `${prefix}${last ? '   ' : '│  '}`;
        branch(
          lines,
          inner,
          listener.rules,
          (rule: (typeof listener.rules)[number], rulePrefix, ruleLast) => {
            const conditions = rule.conditions.length === 0 ? '' : `  ${rule.conditions.join(' ')}`;
            lines.push(
              `${rulePrefix}${ruleLast ? '└─ ' : '├─ '}${rule.priority}${conditions}  -> ${rule.actions.join(', ')}`,
            );
            const groupPrefix = `${rulePrefix}${ruleLast ? '   ' : '│  '}`;
            rule.targetGroups.forEach((group, index) =>
              targetGroupLines(lines, group, groupPrefix, index === rule.targetGroups.length - 1),
            );
          },
        );
      },
    );
  }
  if (view.orphanTargetGroups.length > 0) {
    lines.push('target groups no listener uses:');
    view.orphanTargetGroups.forEach((group, index) =>
      targetGroupLines(lines, group, '', index === view.orphanTargetGroups.length - 1),
    );
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

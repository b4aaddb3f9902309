/**
 * `slbc plan`'s output, pure: each planned change gets a symbol (+ create, ~ modify, - delete),
 * the resource it touches, the fields that differ from AWS (desired against actual) and the
 * reason, so a change against load balancers the LBC made says why it is not "no changes".
 */
import type { MemberError, MemberRef, StackError } from '../../shared/model/stack.js';
import type { ActualStack } from '../../shared/plan/stack-actual.js';
import type { Change, PlanError, StackPlan } from '../../shared/plan/stack-changes.js';

export type ChangeAction = 'create' | 'modify' | 'delete';

export interface FieldDiff {
  field: string;
  /** what AWS has now (absent: unknown or none) */
  from?: unknown;
  to: unknown;
}

export interface DescribedChange {
  op: string;
  action: ChangeAction;
  /** e.g. `TargetGroup k8s-demo-shop-1a2b3c4d5e` */
  resource: string;
  reason: string;
  fields: FieldDiff[];
  /** the plan's own step, unchanged (what the stacks function would send) */
  change: Change;
}

export interface PlannedStackReport {
  /** the stack tag value, e.g. `ingress/demo` or `service/demo/echo` */
  stack: string;
  key: string;
  changes: DescribedChange[];
  /** a non-empty list means slbc would apply nothing to this stack */
  stackErrors: StackError[];
  memberErrors: MemberError[];
  planErrors: PlanError[];
  waiting: StackPlan['waiting'];
}

export interface PlanReport {
  cluster: string;
  source: string;
  stacks: PlannedStackReport[];
  /** total changes over every stack */
  changes: number;
  /** stacks with model or plan errors */
  errors: number;
}

const SYMBOL: Record<ChangeAction, string> = { create: '+', modify: '~', delete: '-' };

function actionOf(op: string): ChangeAction {
  if (op.startsWith('create') || op === 'authorizeSecurityGroupIngress' || op === 'addTags') return 'create';
  if (op.startsWith('delete') || op === 'revokeSecurityGroupIngress') return 'delete';
  return 'modify';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Leaf fields of `desired` that differ from `actual` (arrays compared whole). */
export function diffFields(desired: unknown, actual: unknown, prefix = ''): FieldDiff[] {
  if (typeof desired !== 'object' || desired === null || Array.isArray(desired)) {
    if (same(desired, actual)) return [];
    return [{ field: prefix || '(value)', ...(actual === undefined ? {} : { from: actual }), to: desired }];
  }
  const actualRecord = (typeof actual === 'object' && actual !== null ? actual : {}) as Record<
    string,
    unknown
  >;
  return Object.entries(desired as Record<string, unknown>).flatMap(([key, value]) =>
    value === undefined ? [] : diffFields(value, actualRecord[key], prefix ? `${prefix}.${key}` : key),
  );
}

/** name=value attribute list against what AWS reports */
function attributeDiff(attributes: { key: string; value: string }[], actual: Record<string, string> = {}) {
  return attributes
    .filter((attribute) => actual[attribute.key] !== attribute.value)
    .map((attribute) => ({
      field: `attributes.${attribute.key}`,
      ...(actual[attribute.key] === undefined ? {} : { from: actual[attribute.key] }),
      to: attribute.value,
    }));
}

const member = (source: MemberRef | undefined) =>
  source === undefined ? '' : ` (${source.kind} ${source.namespace}/${source.name})`;

/** One change against the actual stack it was planned from. */
export function describeChange(change: Change, actual: ActualStack): DescribedChange {
  const record = change as Record<string, unknown> & { op: string };
  const arn = typeof record['arn'] === 'string' ? record['arn'] : undefined;
  const lb = actual.loadBalancers.find((item) => item.arn === arn);
  const tg = actual.targetGroups.find((item) => item.arn === arn);
  const listener = actual.listeners.find((item) => item.arn === arn);
  const rule = actual.rules.find((item) => item.arn === arn);
  const base = { op: change.op, action: actionOf(change.op), change };
  switch (change.op) {
    case 'createTargetGroup':
      return {
        ...base,
        resource: `TargetGroup ${change.spec.name}`,
        reason: change.replaces
          ? `replaces ${change.replaces}: a field AWS cannot modify (port, protocol, target type) differs`
          : 'no target group tagged for this stack and model ID',
        fields: [],
      };
    case 'createLoadBalancer':
      return {
        ...base,
        resource: `LoadBalancer ${change.spec.name}`,
        reason: 'no load balancer tagged for this stack',
        fields: [],
      };
    case 'createListener':
      return {
        ...base,
        resource: `Listener ${change.spec.protocol}:${change.spec.port}`,
        reason: 'no listener on this port',
        fields: [],
      };
    case 'createRule':
      return {
        ...base,
        resource: `Rule priority ${change.spec.priority}`,
        reason: `the model has a rule no actual rule matches${member(change.source)}`,
        fields: [],
      };
    case 'createSecurityGroup':
      return {
        ...base,
        resource: `SecurityGroup ${change.spec.groupName}`,
        reason: 'no security group tagged for this stack',
        fields: [],
      };
    case 'modifyTargetGroup':
      return {
        ...base,
        resource: `TargetGroup ${tg?.name ?? change.arn}`,
        reason: 'the health check differs',
        fields: diffFields(change.healthCheck, tg?.healthCheck, 'healthCheck'),
      };
    case 'modifyTargetGroupAttributes':
      return {
        ...base,
        resource: `TargetGroup ${tg?.name ?? change.arn}`,
        reason: 'target group attributes differ',
        fields: attributeDiff(change.attributes, tg?.attributes),
      };
    case 'modifyLoadBalancerAttributes':
      return {
        ...base,
        resource: `LoadBalancer ${lb?.name ?? change.arn}`,
        reason: 'load balancer attributes differ',
        fields: attributeDiff(change.attributes, lb?.attributes),
      };
    case 'setSecurityGroups':
    case 'setSubnets':
    case 'setIpAddressType': {
      const field =
        change.op === 'setSecurityGroups'
          ? 'securityGroups'
          : change.op === 'setSubnets'
            ? 'subnetIds'
            : 'ipAddressType';
      const to = (record as Record<string, unknown>)[field];
      return {
        ...base,
        resource: `LoadBalancer ${lb?.name ?? change.arn}`,
        reason: `${field} differ`,
        fields: [{ field, ...(lb ? { from: lb[field] } : {}), to }],
      };
    }
    case 'modifyListener':
      return {
        ...base,
        resource: `Listener ${change.spec.protocol}:${change.spec.port}`,
        reason: 'the listener differs',
        fields: diffFields(change.spec, listener).filter((diff) => !diff.field.startsWith('loadBalancerARN')),
      };
    case 'modifyRule':
      return {
        ...base,
        resource: `Rule priority ${rule?.priority ?? '?'}`,
        reason: `actions or conditions differ${member(change.source)}`,
        fields: [
          ...diffFields({ actions: change.actions }, { actions: rule?.actions }),
          ...diffFields({ conditions: change.conditions }, { conditions: rule?.conditions }),
        ],
      };
    case 'deleteRule':
      return {
        ...base,
        resource: `Rule priority ${change.priority}`,
        reason: 'no Ingress path produces this rule any more',
        fields: [],
      };
    case 'deleteListener':
      return {
        ...base,
        resource: `Listener port ${change.port}`,
        reason: 'the model has no listener on this port',
        fields: [],
      };
    case 'deleteTargetGroup':
      return {
        ...base,
        resource: `TargetGroup ${change.name}`,
        reason: 'no backend of the model uses it',
        fields: [],
      };
    case 'deleteLoadBalancer':
      return {
        ...base,
        resource: `LoadBalancer ${change.name}`,
        reason: 'the stack has no member any more',
        fields: [],
      };
    case 'deleteSecurityGroup':
      return {
        ...base,
        resource: `SecurityGroup ${change.groupName}`,
        reason: 'the model no longer needs it',
        fields: [],
      };
    case 'addTags': {
      const owner = [lb, tg, rule].find((item) => item !== undefined);
      return {
        ...base,
        resource: owner && 'name' in owner ? owner.name : change.arn,
        reason: 'tags differ',
        fields: diffFields(change.tags, owner?.tags, 'tags'),
      };
    }
    default:
      return genericChange(base, record);
  }
}

/** ops this renderer has no special case for (newer ones): every field but the op */
function genericChange(
  base: Omit<DescribedChange, 'resource' | 'reason' | 'fields'>,
  record: Record<string, unknown>,
) {
  const target = record['arn'] ?? record['groupId'] ?? record['listenerArn'] ?? record['id'] ?? '';
  const { op: _op, ...fields } = record;
  return {
    ...base,
    resource: String(target),
    reason: `${base.op} planned`,
    fields: Object.entries(fields).map(([field, to]) => ({ field, to })),
  };
}

const show = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'none');

/** `terraform plan`-like text. */
export function renderPlanText(report: PlanReport): string[] {
  const lines = [`slbc plan: cluster ${report.cluster}, from ${report.source}`, ''];
  for (const stack of report.stacks) {
    const count = stack.changes.length;
    lines.push(
      `stack ${stack.stack}: ${count === 0 ? 'no changes' : `${count} change${count === 1 ? '' : 's'}`}`,
    );
    for (const error of stack.stackErrors)
      lines.push(`  ! blocked, nothing would be applied: ${error.field}: ${error.message}`);
    for (const error of stack.memberErrors)
      lines.push(`  ! ${error.kind} ${error.namespace}/${error.name}: ${error.field}: ${error.message}`);
    for (const error of stack.planErrors) lines.push(`  ! ${error.field}: ${error.message}`);
    for (const change of stack.changes) {
      lines.push(`  ${SYMBOL[change.action]} ${change.op} ${change.resource}`);
      for (const diff of change.fields)
        lines.push(`      ${diff.field}: ${'from' in diff ? `${show(diff.from)} -> ` : ''}${show(diff.to)}`);
      lines.push(`      why: ${change.reason}`);
    }
    for (const wait of stack.waiting) lines.push(`  … ${wait.targetGroup}: ${wait.message}`);
  }
  lines.push('');
  const withChanges = report.stacks.filter((stack) => stack.changes.length > 0).length;
  lines.push(
    report.changes === 0
      ? `No changes: AWS matches the cluster in ${report.stacks.length} stack${report.stacks.length === 1 ? '' : 's'}.`
      : `Plan: ${report.changes} change${report.changes === 1 ? '' : 's'} in ${withChanges} of ${report.stacks.length} stacks.`,
  );
  if (report.errors > 0)
    lines.push(`${report.errors} stack${report.errors === 1 ? '' : 's'} with errors (marked !).`);
  return lines;
}

/** 0 no changes and no errors, 2 changes or errors (not safe to cut over as is) */
export function planExitCode(report: PlanReport): 0 | 2 {
  return report.changes > 0 || report.errors > 0 ? 2 : 0;
}

/**
 * Listener rules: create, describe, modify, delete and SetRulePriorities. Priorities are
 * 1..50000 and unique per listener; SetRulePriorities checks the whole new order before it
 * changes anything, so a conflict leaves every priority as it was. The default rule can be
 * neither deleted, modified here, nor re-prioritised (`OperationNotPermitted`).
 */
import { type ActionContext, parseActions } from './actions.js';
import { parseConditions } from './conditions.js';
import {
  fail,
  type Input,
  optionalInt,
  optionalString,
  paginate,
  records,
  requiredInt,
  requiredString,
  strings,
  validationError,
} from './input.js';
import {
  countRules,
  type Elbv2State,
  getListener,
  getLoadBalancer,
  getRule,
  type ListenerRecord,
  nextId,
  type RuleRecord,
} from './state.js';
import { applyTags, parseTags } from './tags.js';
import { refreshUsage } from './usage.js';

const PRIORITY = { min: 1, max: 50000 };

export function describeRule(rule: RuleRecord) {
  return {
    RuleArn: rule.arn,
    Priority: String(rule.priority),
    Conditions: rule.conditions,
    Actions: rule.actions,
    IsDefault: rule.priority === 'default',
  };
}

/** ordinary rules by priority, then the default rule, as AWS lists them */
export function rulesOf(state: Elbv2State, listenerArn: string): RuleRecord[] {
  const rules: RuleRecord[] = [];
  let defaultRule: RuleRecord | undefined;
  for (const rule of state.rules.values()) {
    if (rule.listenerArn !== listenerArn) continue;
    if (rule.priority === 'default') defaultRule = rule;
    else rules.push(rule);
  }
  rules.sort((a, b) => (a.priority as number) - (b.priority as number));
  return defaultRule ? [...rules, defaultRule] : rules;
}

function actionContext(state: Elbv2State, listener: ListenerRecord, owner: string): ActionContext {
  const balancer = getLoadBalancer(state, listener.loadBalancerArn);
  if (balancer.type !== 'application')
    fail(
      'InvalidConfigurationRequest',
      `Listener '${listener.arn}' belongs to a Network Load Balancer, which has no listener rules`,
    );
  return { balancer, listenerProtocol: listener.protocol, owner };
}

function assertPriorityFree(state: Elbv2State, listenerArn: string, priority: number, self?: string): void {
  for (const rule of state.rules.values())
    if (rule.listenerArn === listenerArn && rule.priority === priority && rule.arn !== self)
      fail('PriorityInUse', `Priority '${priority}' is currently in use by rule '${rule.arn}'`);
}

export function createRule(state: Elbv2State, input: Input) {
  const listener = getListener(state, requiredString(input, 'ListenerArn'));
  const priority = requiredInt(input, 'Priority', PRIORITY);
  const owner = `the new rule at priority ${priority}`;
  const context = actionContext(state, listener, owner);
  const conditions = parseConditions(state, input, owner);
  const actions = parseActions(state, input, 'Actions', context);
  const tags = parseTags(input);
  assertPriorityFree(state, listener.arn, priority);
  const limit = state.deps.quotas.rulesPerLoadBalancer;
  const count = countRules(state, listener.loadBalancerArn);
  if (count >= limit)
    fail(
      'TooManyRules',
      `Load balancer '${context.balancer.name}' already has ${count} rules; the limit is ${limit}`,
    );
  if (tags.length > state.deps.quotas.tagsPerResource)
    fail('TooManyTags', `A rule can have at most ${state.deps.quotas.tagsPerResource} tags`);

  const arn = `${listener.arn.replace(':listener/', ':listener-rule/')}/${nextId(state, `${listener.arn}/rule`)}`;
  const rule: RuleRecord = { arn, listenerArn: listener.arn, priority, conditions, actions };
  state.rules.set(arn, rule);
  applyTags(state, arn, tags);
  refreshUsage(state);
  return { Rules: [describeRule(rule)] };
}

export function describeRules(state: Elbv2State, input: Input) {
  const listenerArn = optionalString(input, 'ListenerArn');
  const arns = strings(input, 'RuleArns');
  if ((listenerArn === undefined) === (arns.length === 0))
    validationError('Specify exactly one of ListenerArn and RuleArns');
  if (listenerArn !== undefined) getListener(state, listenerArn);
  const selected =
    listenerArn !== undefined ? rulesOf(state, listenerArn) : arns.map((arn) => getRule(state, arn));
  const { page, nextMarker } = paginate(selected, input);
  return { Rules: page.map(describeRule), NextMarker: nextMarker };
}

export function modifyRule(state: Elbv2State, input: Input) {
  const rule = getRule(state, requiredString(input, 'RuleArn'));
  if (rule.priority === 'default')
    fail(
      'OperationNotPermitted',
      `Rule '${rule.arn}' is a default rule: change its actions with ModifyListener`,
    );
  const listener = getListener(state, rule.listenerArn);
  const owner = `rule '${rule.arn}'`;
  const context = actionContext(state, listener, owner);
  const conditions =
    records(input, 'Conditions').length > 0 ? parseConditions(state, input, owner) : undefined;
  const actions =
    records(input, 'Actions').length > 0 ? parseActions(state, input, 'Actions', context) : undefined;
  if (conditions) rule.conditions = conditions;
  if (actions) rule.actions = actions;
  refreshUsage(state);
  return { Rules: [describeRule(rule)] };
}

export function deleteRule(state: Elbv2State, input: Input) {
  const rule = getRule(state, requiredString(input, 'RuleArn'));
  if (rule.priority === 'default')
    fail('OperationNotPermitted', `Rule '${rule.arn}' is a default rule and cannot be deleted`);
  state.rules.delete(rule.arn);
  state.tags.delete(rule.arn);
  refreshUsage(state);
  return {};
}

export function setRulePriorities(state: Elbv2State, input: Input) {
  const items = records(input, 'RulePriorities');
  if (items.length === 0) validationError('RulePriorities is required');
  const changes = items.map((item, index) => {
    const path = `RulePriorities.member.${index + 1}`;
    const rule = getRule(state, requiredString(item, 'RuleArn', `${path}.RuleArn`));
    const priority = optionalInt(item, 'Priority', PRIORITY, `${path}.Priority`);
    if (priority === undefined) validationError(`${path}.Priority is required`);
    if (rule.priority === 'default')
      fail('OperationNotPermitted', `Rule '${rule.arn}' is a default rule; its priority cannot be set`);
    return { rule, priority };
  });
  const changed = new Map(changes.map((change) => [change.rule.arn, change.priority]));
  if (changed.size !== changes.length) validationError('RulePriorities names a rule more than once');
  // the order after the change, per listener: moved rules at their new priority, others unchanged
  const taken = new Map<string, string>();
  for (const rule of state.rules.values()) {
    if (rule.priority === 'default') continue;
    const priority = changed.get(rule.arn) ?? rule.priority;
    const key = `${rule.listenerArn}#${priority}`;
    const holder = taken.get(key);
    if (holder !== undefined) {
      const [moved, other] = changed.has(rule.arn) ? [rule.arn, holder] : [holder, rule.arn];
      fail(
        'PriorityInUse',
        `Priority '${priority}' for rule '${moved}' is currently in use by rule '${other}'`,
      );
    }
    taken.set(key, rule.arn);
  }
  for (const { rule, priority } of changes) rule.priority = priority;
  return { Rules: changes.map(({ rule }) => describeRule(rule)) };
}

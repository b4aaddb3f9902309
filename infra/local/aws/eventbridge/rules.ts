/** PutRule, DescribeRule, ListRules, EnableRule, DisableRule, DeleteRule. */
import { AwsApiError } from '../api-error.js';
import { NAME_PATTERN } from './arns.js';
import { type Input, optionalString, page, requiredString, validationError } from './input.js';
import type { Rule, RuleState } from './model.js';
import { usesWildcard } from './pattern.js';
import { compileEventPattern } from './pattern-api.js';
import { parseSchedule } from './schedule.js';
import { byName, findBus, findRule, type State } from './state.js';
import { applyTags, readTags } from './tags.js';

/** eb-quota: rules per event bus */
export const MAX_RULES_PER_BUS = 300;
/** eb-quota: rules whose pattern uses wildcard, per bus (not adjustable) */
export const MAX_WILDCARD_RULES_PER_BUS = 30;

const RULE_STATES: RuleState[] = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

/** starts a scheduled rule's timer; returns its cancel function */
export type StartSchedule = (rule: Rule) => () => void;

function ruleName(input: Input, field = 'Name'): string {
  return requiredString(input, field, { min: 1, max: 64, pattern: NAME_PATTERN });
}

function busNameOf(state: State, input: Input): string {
  return state.arns.busName(optionalString(input, 'EventBusName', { min: 1, max: 1600 }));
}

export function putRule(state: State, input: Input, startSchedule: StartSchedule) {
  const name = ruleName(input);
  const bus = findBus(state, busNameOf(state, input));
  const eventPattern = optionalString(input, 'EventPattern');
  const scheduleExpression = optionalString(input, 'ScheduleExpression', { max: 256 });
  const stateValue = optionalString(input, 'State') ?? 'ENABLED';
  if (!RULE_STATES.includes(stateValue as RuleState))
    throw validationError(`Parameter State must be one of ${RULE_STATES.join(', ')}; got ${stateValue}`);
  if (eventPattern === undefined && scheduleExpression === undefined)
    throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  if (scheduleExpression !== undefined) {
    if (bus.name !== 'default')
      throw validationError('ScheduleExpression is supported only on the default event bus.');
    const parsed = parseSchedule(scheduleExpression);
    if (typeof parsed === 'string')
      throw validationError(`Parameter ScheduleExpression is not valid: ${parsed}`);
  }
  const matches = eventPattern === undefined ? undefined : compileEventPattern(eventPattern);
  const tags = readTags(input);
  const existing = bus.rules.get(name);
  if (!existing && bus.rules.size >= MAX_RULES_PER_BUS)
    throw new AwsApiError(
      'LimitExceededException',
      `Event bus ${bus.name} already has ${MAX_RULES_PER_BUS} rules.`,
    );
  if (eventPattern !== undefined && usesWildcard(JSON.parse(eventPattern))) {
    const others = [...bus.rules.values()].filter(
      (rule) =>
        rule.name !== name && rule.eventPattern !== undefined && usesWildcard(JSON.parse(rule.eventPattern)),
    );
    if (others.length >= MAX_WILDCARD_RULES_PER_BUS)
      throw new AwsApiError(
        'LimitExceededException',
        `Event bus ${bus.name} already has ${MAX_WILDCARD_RULES_PER_BUS} rules whose patterns use wildcard.`,
      );
  }
  existing?.stopSchedule?.();
  const rule: Rule = {
    name,
    arn: state.arns.rule(bus.name, name),
    busName: bus.name,
    state: stateValue as RuleState,
    targets: existing?.targets ?? new Map(),
    tags: existing?.tags ?? new Map(),
  };
  if (tags) applyTags(rule.tags, tags, rule.arn);
  if (eventPattern !== undefined) rule.eventPattern = eventPattern;
  if (matches !== undefined) rule.matches = matches;
  if (scheduleExpression !== undefined) rule.scheduleExpression = scheduleExpression;
  const description = optionalString(input, 'Description', { max: 512 });
  if (description !== undefined) rule.description = description;
  const roleArn = optionalString(input, 'RoleArn', { min: 1, max: 1600 });
  if (roleArn !== undefined) rule.roleArn = roleArn;
  bus.rules.set(name, rule);
  if (scheduleExpression !== undefined) rule.stopSchedule = startSchedule(rule);
  return { RuleArn: rule.arn };
}

function describe(rule: Rule) {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.eventPattern === undefined ? {} : { EventPattern: rule.eventPattern }),
    ...(rule.scheduleExpression === undefined ? {} : { ScheduleExpression: rule.scheduleExpression }),
    State: rule.state,
    ...(rule.description === undefined ? {} : { Description: rule.description }),
    ...(rule.roleArn === undefined ? {} : { RoleArn: rule.roleArn }),
    EventBusName: rule.busName,
  };
}

export function describeRule(state: State, input: Input) {
  return {
    ...describe(findRule(state, busNameOf(state, input), ruleName(input))),
    CreatedBy: state.arns.account,
  };
}

export function listRules(state: State, input: Input) {
  const prefix = optionalString(input, 'NamePrefix', { min: 1, max: 64 }) ?? '';
  const bus = findBus(state, busNameOf(state, input));
  const listed = page(
    byName(bus.rules.values()).filter((rule) => rule.name.startsWith(prefix)),
    input,
  );
  return { Rules: listed.items.map(describe), ...(listed.NextToken ? { NextToken: listed.NextToken } : {}) };
}

export function setRuleState(state: State, input: Input, value: 'ENABLED' | 'DISABLED') {
  findRule(state, busNameOf(state, input), ruleName(input)).state = value;
  return {};
}

/** a rule with targets cannot be deleted (unless Force); an unknown rule is not an error */
export function deleteRule(state: State, input: Input) {
  const name = ruleName(input);
  const bus = findBus(state, busNameOf(state, input));
  const rule = bus.rules.get(name);
  if (!rule) return {};
  if (rule.targets.size > 0 && input['Force'] !== true)
    throw validationError(`Rule ${name} can't be deleted since it has targets.`);
  rule.stopSchedule?.();
  bus.rules.delete(name);
  return {};
}

/** the rules of a bus with a target of this ARN */
export function listRuleNamesByTarget(state: State, input: Input) {
  const targetArn = requiredString(input, 'TargetArn', { min: 1, max: 1600 });
  const bus = findBus(state, busNameOf(state, input));
  const listed = page(
    byName(bus.rules.values()).filter((rule) =>
      [...rule.targets.values()].some((target) => target.arn === targetArn),
    ),
    input,
  );
  return {
    RuleNames: listed.items.map((rule) => rule.name),
    ...(listed.NextToken ? { NextToken: listed.NextToken } : {}),
  };
}

/**
 * Rule conditions, validated with AWS's limits: at most one each of host-header, path-pattern,
 * http-request-method and source-ip per rule; at most three values per condition; at most
 * `conditionValuesPerRule` (5) values across the rule. The SDK models no dedicated exception
 * for the value limits, so they answer `ValidationError`, like the other request checks.
 */
import {
  type Input,
  optionalEnum,
  optionalString,
  record,
  records,
  strings,
  validationError,
} from './input.js';
import { parseCidr } from './ip.js';
import type { ConditionRecord, Elbv2State } from './state.js';

const FIELDS = [
  'host-header',
  'path-pattern',
  'http-header',
  'http-request-method',
  'query-string',
  'source-ip',
] as const;
type Field = (typeof FIELDS)[number];

const AT_MOST_ONCE: readonly Field[] = ['host-header', 'path-pattern', 'http-request-method', 'source-ip'];
const VALUES_PER_CONDITION = 3;
const MAX_VALUE_LENGTH = 128;

const HOST = /^[A-Za-z0-9\-.*?]+$/;
const PATH = /^[A-Za-z0-9_\-.$/~"'@:+&*?%=]+$/;
const METHOD = /^[A-Z_-]+$/;

function checkValues(values: string[], pattern: RegExp | undefined, where: string): void {
  for (const value of values) {
    if (value.length === 0) validationError(`${where}: condition values cannot be empty`);
    if (value.length > MAX_VALUE_LENGTH)
      validationError(`${where}: value '${value}' is longer than ${MAX_VALUE_LENGTH} characters`);
    if (pattern && !pattern.test(value))
      validationError(`${where}: value '${value}' contains characters that are not allowed`);
  }
}

function checkRegexes(values: string[], where: string): void {
  for (const value of values) {
    if (value.length > MAX_VALUE_LENGTH)
      validationError(`${where}: regex '${value}' is longer than ${MAX_VALUE_LENGTH} characters`);
    try {
      new RegExp(value);
    } catch {
      validationError(`${where}: '${value}' is not a valid regular expression`);
    }
  }
}

/** host-header and path-pattern accept the legacy `Values` or their config; not two different lists */
function hostOrPath(item: Input, field: 'host-header' | 'path-pattern', where: string): ConditionRecord {
  const configName = field === 'host-header' ? 'HostHeaderConfig' : 'PathPatternConfig';
  const legacy = strings(item, 'Values', `${where}.Values`);
  const config = record(item, configName, `${where}.${configName}`);
  const configured = config ? strings(config, 'Values', `${where}.${configName}.Values`) : [];
  const regexes = config ? strings(config, 'RegexValues', `${where}.${configName}.RegexValues`) : [];
  if (legacy.length > 0 && configured.length > 0 && legacy.join('\n') !== configured.join('\n'))
    validationError(`${where}: Values and ${configName}.Values differ; specify one of them`);
  const values = legacy.length > 0 ? legacy : configured;
  if (values.length > 0 && regexes.length > 0)
    validationError(`${where}: specify either Values or RegexValues, not both`);
  checkValues(values, field === 'host-header' ? HOST : PATH, where);
  checkRegexes(regexes, where);
  if (regexes.length > 0) return { Field: field, [configName]: { RegexValues: regexes } };
  return { Field: field, Values: values, [configName]: { Values: values } };
}

function parseCondition(item: Input, where: string): ConditionRecord {
  const field = optionalEnum(item, 'Field', FIELDS, `${where}.Field`);
  if (!field) validationError(`${where}.Field is required`);
  if (field === 'host-header' || field === 'path-pattern') return hostOrPath(item, field, where);
  if (strings(item, 'Values', `${where}.Values`).length > 0)
    validationError(
      `${where}: '${field}' conditions take their values from their own config, not from Values`,
    );
  switch (field) {
    case 'http-header': {
      const config = record(item, 'HttpHeaderConfig', `${where}.HttpHeaderConfig`);
      const name =
        config && optionalString(config, 'HttpHeaderName', `${where}.HttpHeaderConfig.HttpHeaderName`);
      if (!config || !name) validationError(`${where}.HttpHeaderConfig.HttpHeaderName is required`);
      if (name.length > 40 || !/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name))
        validationError(`${where}: '${name}' is not a valid HTTP header name`);
      const values = strings(config, 'Values', `${where}.HttpHeaderConfig.Values`);
      const regexes = strings(config, 'RegexValues', `${where}.HttpHeaderConfig.RegexValues`);
      if (values.length > 0 && regexes.length > 0)
        validationError(`${where}: specify either Values or RegexValues, not both`);
      checkValues(values, undefined, where);
      checkRegexes(regexes, where);
      const matches = regexes.length > 0 ? { RegexValues: regexes } : { Values: values };
      return { Field: field, HttpHeaderConfig: { HttpHeaderName: name, ...matches } };
    }
    case 'http-request-method': {
      const config = record(item, 'HttpRequestMethodConfig', `${where}.HttpRequestMethodConfig`);
      const values = config ? strings(config, 'Values', `${where}.HttpRequestMethodConfig.Values`) : [];
      checkValues(values, METHOD, where);
      return { Field: field, HttpRequestMethodConfig: { Values: values } };
    }
    case 'query-string': {
      const config = record(item, 'QueryStringConfig', `${where}.QueryStringConfig`);
      const pairs = (config ? records(config, 'Values', `${where}.QueryStringConfig.Values`) : []).map(
        (pair, index) => {
          const at = `${where}.QueryStringConfig.Values.member.${index + 1}`;
          const value = optionalString(pair, 'Value', `${at}.Value`);
          if (!value) validationError(`${at}.Value is required`);
          const key = optionalString(pair, 'Key', `${at}.Key`);
          checkValues(key === undefined ? [value] : [key, value], undefined, where);
          return key === undefined ? { Value: value } : { Key: key, Value: value };
        },
      );
      return { Field: field, QueryStringConfig: { Values: pairs } };
    }
    case 'source-ip': {
      const config = record(item, 'SourceIpConfig', `${where}.SourceIpConfig`);
      const values = config ? strings(config, 'Values', `${where}.SourceIpConfig.Values`) : [];
      for (const value of values)
        if (!parseCidr(value) && !/^[0-9a-fA-F:]+\/\d{1,3}$/.test(value))
          validationError(`${where}: '${value}' is not a valid CIDR block`);
      return { Field: field, SourceIpConfig: { Values: values } };
    }
  }
}

/** how many values a condition contributes to the per-rule limit */
export function conditionValueCount(condition: ConditionRecord): number {
  if (Array.isArray(condition.Values)) return condition.Values.length;
  const config = Object.entries(condition).find(([key]) => key.endsWith('Config'))?.[1] as
    | { Values?: unknown[]; RegexValues?: unknown[] }
    | undefined;
  return (config?.Values?.length ?? 0) + (config?.RegexValues?.length ?? 0);
}

export function parseConditions(state: Elbv2State, input: Input, owner: string): ConditionRecord[] {
  const items = records(input, 'Conditions');
  if (items.length === 0) validationError(`Conditions of ${owner}: a rule needs at least one condition`);
  const conditions = items.map((item, index) =>
    parseCondition(item, `Conditions.member.${index + 1} of ${owner}`),
  );
  const seen = new Set<string>();
  let total = 0;
  for (const condition of conditions) {
    if (AT_MOST_ONCE.includes(condition.Field as Field)) {
      if (seen.has(condition.Field))
        validationError(`Conditions of ${owner}: a rule can have only one '${condition.Field}' condition`);
      seen.add(condition.Field);
    }
    const count = conditionValueCount(condition);
    if (count === 0)
      validationError(`Conditions of ${owner}: the '${condition.Field}' condition has no values`);
    if (count > VALUES_PER_CONDITION)
      validationError(
        `Conditions of ${owner}: the '${condition.Field}' condition has ${count} values; the limit is ${VALUES_PER_CONDITION}`,
      );
    total += count;
  }
  const limit = state.deps.quotas.conditionValuesPerRule;
  if (total > limit)
    validationError(`Conditions of ${owner}: a rule can only have '${limit}' condition values, got ${total}`);
  return conditions;
}

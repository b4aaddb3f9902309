import { field, goList, isObject, stringArray } from '../annotations/parse.js';
import type { RuleCondition, ValuesOrRegex } from '../stack.js';

/**
 * The `conditions.<service>` annotation: parsing (Go's case-insensitive JSON field names), the LBC's
 * validation (pkg/ingress/config_types.go) and the merge with an Ingress rule's host and path into
 * one rule's conditions (buildRuleConditions). Error strings are the LBC's.
 */

type Checked<T> = { value: T } | { error: string };

function valuesOrRegex(config: unknown, name: string): Checked<ValuesOrRegex> {
  const values = stringArray(field(config, 'values')) ?? [];
  const regexValues = stringArray(field(config, 'regexValues')) ?? [];
  if (values.length > 0 && regexValues.length > 0) {
    return { error: `invalid ${name}: precisely one of values and regexValues can be specified` };
  }
  if (values.length === 0 && regexValues.length === 0) {
    return { error: `invalid ${name}: values or regexValues must be specified` };
  }
  return { value: values.length > 0 ? { values } : { regexValues } };
}

function parseCondition(raw: unknown): Checked<RuleCondition> {
  const name = field(raw, 'field');
  const config = (key: string) => field(raw, key);
  switch (name) {
    case 'host-header': {
      if (!isObject(config('hostHeaderConfig'))) return { error: 'missing hostHeaderConfig' };
      const checked = valuesOrRegex(config('hostHeaderConfig'), 'hostHeaderConfig');
      return 'error' in checked ? checked : { value: { field: name, hostHeaderConfig: checked.value } };
    }
    case 'path-pattern': {
      if (!isObject(config('pathPatternConfig'))) return { error: 'missing pathPatternConfig' };
      const checked = valuesOrRegex(config('pathPatternConfig'), 'pathPatternConfig');
      return 'error' in checked ? checked : { value: { field: name, pathPatternConfig: checked.value } };
    }
    case 'http-header': {
      const headerConfig = config('httpHeaderConfig');
      if (!isObject(headerConfig)) return { error: 'missing httpHeaderConfig' };
      const checked = valuesOrRegex(headerConfig, 'httpHeaderConfig');
      if ('error' in checked) return checked;
      const httpHeaderName = field(headerConfig, 'httpHeaderName');
      if (typeof httpHeaderName !== 'string' || httpHeaderName === '') {
        return { error: 'invalid httpHeaderConfig: httpHeaderName must be specified' };
      }
      return { value: { field: name, httpHeaderConfig: { httpHeaderName, ...checked.value } } };
    }
    case 'http-request-method': {
      if (!isObject(config('httpRequestMethodConfig'))) return { error: 'missing httpRequestMethodConfig' };
      const values = stringArray(field(config('httpRequestMethodConfig'), 'values')) ?? [];
      if (values.length === 0) return { error: 'invalid httpRequestMethodConfig: values cannot be empty' };
      return { value: { field: name, httpRequestMethodConfig: { values } } };
    }
    case 'query-string': {
      if (!isObject(config('queryStringConfig'))) return { error: 'missing queryStringConfig' };
      const rawValues = field(config('queryStringConfig'), 'values');
      if (!Array.isArray(rawValues) || rawValues.length === 0) {
        return { error: 'invalid queryStringConfig: Values cannot be empty' };
      }
      const values: { key?: string; value: string }[] = [];
      for (const pair of rawValues) {
        const key = field(pair, 'key');
        const value = field(pair, 'value');
        if (typeof value !== 'string' || value === '') return { error: 'value cannot be empty' };
        values.push(typeof key === 'string' ? { key, value } : { value });
      }
      return { value: { field: name, queryStringConfig: { values } } };
    }
    case 'source-ip': {
      if (!isObject(config('sourceIpConfig'))) return { error: 'missing sourceIpConfig' };
      const values = stringArray(field(config('sourceIpConfig'), 'values')) ?? [];
      if (values.length === 0) return { error: 'invalid sourceIPConfig: values cannot be empty' };
      return { value: { field: name, sourceIPConfig: { values } } };
    }
    default:
      return { error: `unknown condition field: ${String(name)}` };
  }
}

/** A parsed `conditions.*` annotation value (a JSON array), validated. */
export function parseConditions(json: unknown): Checked<RuleCondition[]> {
  if (!Array.isArray(json)) return { error: 'conditions must be a JSON array' };
  const conditions: RuleCondition[] = [];
  for (const raw of json) {
    const checked = parseCondition(raw);
    if ('error' in checked) return checked;
    conditions.push(checked.value);
  }
  return { value: conditions };
}

function merged(
  kind: 'host' | 'path',
  values: string[],
  regexValues: string[],
): Checked<ValuesOrRegex | undefined> {
  if (values.length > 0 && regexValues.length > 0) {
    return {
      error: `${kind} condition must specify exactly one of Values and RegexValues, got both Values ${goList(values)} and RegexValues ${goList(regexValues)}`,
    };
  }
  if (values.length > 0) return { value: { values } };
  if (regexValues.length > 0) return { value: { regexValues } };
  return { value: undefined };
}

/**
 * One rule's conditions: other annotation conditions first (annotation order), then ONE host-header
 * (the rule's host, then annotation hosts) and ONE path-pattern (the path's patterns, then annotation
 * paths); nothing at all means `/*`.
 */
export function buildRuleConditions(
  host: string | undefined,
  path: ValuesOrRegex,
  annotationConditions: readonly RuleCondition[],
): Checked<RuleCondition[]> {
  const hosts = host ? [host] : [];
  const hostRegex: string[] = [];
  const paths = [...(path.values ?? [])];
  const pathRegex = [...(path.regexValues ?? [])];
  const conditions: RuleCondition[] = [];
  for (const condition of annotationConditions) {
    if (condition.field === 'host-header') {
      hosts.push(...(condition.hostHeaderConfig.values ?? []));
      hostRegex.push(...(condition.hostHeaderConfig.regexValues ?? []));
    } else if (condition.field === 'path-pattern') {
      paths.push(...(condition.pathPatternConfig.values ?? []));
      pathRegex.push(...(condition.pathPatternConfig.regexValues ?? []));
    } else {
      conditions.push(condition);
    }
  }
  const hostCondition = merged('host', hosts, hostRegex);
  if ('error' in hostCondition) return hostCondition;
  const pathCondition = merged('path', paths, pathRegex);
  if ('error' in pathCondition) return pathCondition;
  if (hostCondition.value) conditions.push({ field: 'host-header', hostHeaderConfig: hostCondition.value });
  if (pathCondition.value) conditions.push({ field: 'path-pattern', pathPatternConfig: pathCondition.value });
  if (conditions.length === 0)
    conditions.push({ field: 'path-pattern', pathPatternConfig: { values: ['/*'] } });
  return { value: conditions };
}

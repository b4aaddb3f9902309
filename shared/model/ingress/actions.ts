import { field, isObject } from '../annotations/parse.js';

/**
 * The `actions.<name>` annotation (pkg/ingress/config_types.go): parsed with Go's case-insensitive
 * field names, the simplified forward form normalised into forwardConfig.targetGroups, numeric-string
 * service ports normalised to numbers, then validated. Service tuples stay unresolved here; the
 * backend step turns them into the model's target groups.
 */

export interface ActionTargetGroup {
  serviceName?: string;
  servicePort?: string | number;
  targetGroupARN?: string;
  targetGroupName?: string;
  weight?: number;
}

export type ActionConfig =
  | {
      type: 'forward';
      forwardConfig: {
        targetGroups: ActionTargetGroup[];
        targetGroupStickinessConfig?: { enabled: boolean; durationSeconds?: number };
      };
    }
  | {
      type: 'redirect';
      redirectConfig: {
        host?: string;
        path?: string;
        port?: string;
        protocol?: string;
        query?: string;
        statusCode: string;
      };
    }
  | {
      type: 'fixed-response';
      fixedResponseConfig: { contentType?: string; messageBody?: string; statusCode: string };
    };

type Checked<T> = { value: T } | { error: string };

const optionalString = (object: unknown, name: string): string | undefined => {
  const value = field(object, name);
  return typeof value === 'string' ? value : undefined;
};

function normalisePort(port: unknown): string | number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port !== 'string') return undefined;
  return /^[0-9]+$/.test(port) ? Number(port) : port;
}

function parseTuple(raw: unknown): Checked<ActionTargetGroup> {
  const tuple: ActionTargetGroup = {};
  const serviceName = optionalString(raw, 'serviceName');
  const servicePort = normalisePort(field(raw, 'servicePort'));
  const targetGroupARN = optionalString(raw, 'targetGroupARN');
  const targetGroupName = optionalString(raw, 'targetGroupName');
  const weight = field(raw, 'weight');
  if (serviceName !== undefined) tuple.serviceName = serviceName;
  if (servicePort !== undefined) tuple.servicePort = servicePort;
  if (targetGroupARN !== undefined) tuple.targetGroupARN = targetGroupARN;
  if (targetGroupName !== undefined) tuple.targetGroupName = targetGroupName;
  if (typeof weight === 'number') tuple.weight = weight;
  const byService = serviceName !== undefined || servicePort !== undefined;
  const byTargetGroup = targetGroupARN !== undefined || targetGroupName !== undefined;
  if (byService && byTargetGroup) {
    return { error: 'precisely one of targetGroupARN, targetGroupName and serviceName can be specified' };
  }
  if (!byService && !byTargetGroup) {
    return { error: 'precisely one of targetGroupARN, targetGroupName and serviceName can be specified' };
  }
  if (byService && (serviceName === undefined || servicePort === undefined)) {
    return { error: 'both serviceName and servicePort must be specified' };
  }
  return { value: tuple };
}

function parseForward(raw: unknown): Checked<ActionConfig> {
  const simpleArn = optionalString(raw, 'targetGroupARN');
  const simpleName = optionalString(raw, 'targetGroupName');
  const forwardConfig = field(raw, 'forwardConfig');
  if (simpleArn !== undefined || simpleName !== undefined) {
    const tuple = simpleArn !== undefined ? { targetGroupARN: simpleArn } : { targetGroupName: simpleName! };
    return { value: { type: 'forward', forwardConfig: { targetGroups: [tuple] } } };
  }
  if (!isObject(forwardConfig)) return { error: 'missing forwardConfig' };
  const rawTuples = field(forwardConfig, 'targetGroups');
  if (!Array.isArray(rawTuples) || rawTuples.length === 0) return { error: 'missing targetGroups' };
  const targetGroups: ActionTargetGroup[] = [];
  for (const rawTuple of rawTuples) {
    const tuple = parseTuple(rawTuple);
    if ('error' in tuple) return tuple;
    targetGroups.push(tuple.value);
  }
  if (targetGroups.length > 1 && targetGroups.some((tuple) => tuple.weight === undefined)) {
    return { error: 'weight must be set when route to multiple target groups' };
  }
  const config: Extract<ActionConfig, { type: 'forward' }>['forwardConfig'] = { targetGroups };
  const stickiness = field(forwardConfig, 'targetGroupStickinessConfig');
  if (isObject(stickiness)) {
    const durationSeconds = field(stickiness, 'durationSeconds');
    config.targetGroupStickinessConfig = {
      enabled: field(stickiness, 'enabled') === true,
      ...(typeof durationSeconds === 'number' ? { durationSeconds } : {}),
    };
  }
  return { value: { type: 'forward', forwardConfig: config } };
}

function pickStrings<K extends string>(object: unknown, keys: readonly K[]): Partial<Record<K, string>> {
  const picked: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = optionalString(object, key);
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

/** A parsed `actions.*` annotation value, validated. */
export function parseAction(json: unknown): Checked<ActionConfig> {
  const type = field(json, 'type');
  switch (type) {
    case 'forward':
      return parseForward(json);
    case 'redirect': {
      const config = field(json, 'redirectConfig');
      if (!isObject(config)) return { error: 'missing RedirectConfig' };
      const picked = pickStrings(config, ['host', 'path', 'port', 'protocol', 'query', 'statusCode']);
      if (picked.statusCode === undefined) return { error: 'statusCode is required' };
      return { value: { type, redirectConfig: { ...picked, statusCode: picked.statusCode } } };
    }
    case 'fixed-response': {
      const config = field(json, 'fixedResponseConfig');
      if (!isObject(config)) return { error: 'missing FixedResponseConfig' };
      const picked = pickStrings(config, ['contentType', 'messageBody', 'statusCode']);
      if (picked.statusCode === undefined) return { error: 'statusCode is required' };
      return { value: { type, fixedResponseConfig: { ...picked, statusCode: picked.statusCode } } };
    }
    default:
      return { error: `unknown action type: ${String(type)}` };
  }
}

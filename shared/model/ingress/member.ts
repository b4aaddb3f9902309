import type { Ingress } from '../../k8s/objects.js';
import {
  type Annotations,
  annotationField,
  INGRESS_PREFIX,
  parseBool,
  parseInt32,
  parseString,
  parseStringList,
  parseStringMap,
} from '../annotations/parse.js';
import { unsupportedIngressAnnotation } from '../annotations/supported.js';
import { resolveSecurityGroups } from '../security-groups.js';
import type {
  Action,
  AuthenticateAction,
  IpAddressType,
  MemberError,
  MemberRef,
  RuleCondition,
  Scheme,
  TargetGroupResource,
} from '../stack.js';
import { resolveSubnetAnnotation } from '../subnets.js';
import { webAclArnProblem } from '../validate/arn.js';
import { conditionValueProblem } from '../validate/conditions.js';
import { type MemberContext, type ResolvedBackend, resolveBackend } from './backend.js';
import { buildRuleConditions } from './conditions.js';
import { memberError } from './group.js';
import { type ListenPort, parseListenPorts } from './listen-ports.js';
import { buildPathPatterns, sortIngressPaths } from './paths.js';

/**
 * What one Ingress asks of its group's ALB, built in isolation: its group-wide settings, its listen
 * ports, its default backend and its rules with their target groups. Any bad input fails this member
 * alone (an error naming the Ingress and the field); the group build then merges the good members.
 */

/** A value together with the annotation it came from, so a conflict can name both. */
export interface Setting<T> {
  value: T;
  key: string;
}

export interface GroupSettings {
  scheme?: Setting<Scheme>;
  ipAddressType?: Setting<IpAddressType>;
  loadBalancerName?: Setting<string>;
  subnetIds?: Setting<string[]>;
  securityGroups?: Setting<string[]>;
  loadBalancerAttributes?: Setting<Record<string, string>>;
  tags?: Setting<Record<string, string>>;
  sslRedirectPort?: Setting<number>;
  /** a web ACL ARN, or `none` (disassociate) */
  wafv2AclArn?: Setting<string>;
  shieldAdvancedProtection?: Setting<boolean>;
}

export interface MemberRule {
  conditions: RuleCondition[];
  actions: Action[];
  /** runs before `actions` on HTTPS listeners only (as the LBC) */
  auth?: AuthenticateAction;
  targetGroups: { id: string; resource: TargetGroupResource }[];
}

export interface MemberContribution {
  ingress: Ingress;
  ref: MemberRef;
  settings: GroupSettings;
  listenPorts: ListenPort[];
  defaultBackend?: ResolvedBackend;
  rules: MemberRule[];
  /** the member's own `tags`, for its rules */
  tags: Record<string, string>;
}

const key = (suffix: string) => `${INGRESS_PREFIX}/${suffix}`;

type Outcome<T> = { value: T } | { error: MemberError };

function enumSetting<T extends string>(
  ingress: Ingress,
  annotations: Annotations,
  suffix: string,
  allowed: readonly T[],
  message: (raw: string) => string,
): Outcome<Setting<T> | undefined> {
  const raw = parseString(annotations, key(suffix));
  if (raw === undefined) return { value: undefined };
  if (!(allowed as readonly string[]).includes(raw)) {
    return { error: memberError(ingress, annotationField(key(suffix)), message(raw)) };
  }
  return { value: { value: raw as T, key: key(suffix) } };
}

function mapSetting(
  ingress: Ingress,
  annotations: Annotations,
  suffix: string,
): Outcome<Setting<Record<string, string>> | undefined> {
  const parsed = parseStringMap(annotations, key(suffix));
  if (!parsed.ok) return { error: memberError(ingress, annotationField(key(suffix)), parsed.error) };
  return { value: parsed.value === undefined ? undefined : { value: parsed.value, key: key(suffix) } };
}

function readSettings(context: MemberContext): Outcome<GroupSettings> {
  const { ingress, env } = context;
  const annotations = ingress.metadata.annotations ?? {};
  const settings: GroupSettings = {};
  const scheme = enumSetting<Scheme>(
    ingress,
    annotations,
    'scheme',
    ['internal', 'internet-facing'],
    (raw) => `unknown scheme: ${raw}`,
  );
  if ('error' in scheme) return scheme;
  if (scheme.value) settings.scheme = scheme.value;
  const ipAddressType = enumSetting<IpAddressType>(
    ingress,
    annotations,
    'ip-address-type',
    ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'],
    (raw) => `unknown IPAddressType: ${raw}`,
  );
  if ('error' in ipAddressType) return ipAddressType;
  if (ipAddressType.value) settings.ipAddressType = ipAddressType.value;

  const name = parseString(annotations, key('load-balancer-name'));
  if (name !== undefined) {
    if (name.length > 32) {
      return {
        error: memberError(
          ingress,
          annotationField(key('load-balancer-name')),
          'load balancer name cannot be longer than 32 characters',
        ),
      };
    }
    settings.loadBalancerName = { value: name, key: key('load-balancer-name') };
  }
  const subnets = parseStringList(annotations, key('subnets'));
  if (subnets !== undefined) {
    const resolved = resolveSubnetAnnotation(subnets, env.subnets, 2);
    if ('error' in resolved)
      return { error: memberError(ingress, annotationField(key('subnets')), resolved.error) };
    settings.subnetIds = { value: resolved.subnetIds, key: key('subnets') };
  }
  const securityGroups = parseStringList(annotations, key('security-groups'));
  if (securityGroups !== undefined) {
    const resolved = resolveSecurityGroups(securityGroups, env.securityGroups);
    if ('error' in resolved) {
      return { error: memberError(ingress, annotationField(key('security-groups')), resolved.error) };
    }
    settings.securityGroups = { value: resolved.ids, key: key('security-groups') };
  }
  const attributes = mapSetting(ingress, annotations, 'load-balancer-attributes');
  if ('error' in attributes) return attributes;
  if (attributes.value) settings.loadBalancerAttributes = attributes.value;
  const tags = mapSetting(ingress, annotations, 'tags');
  if ('error' in tags) return tags;
  if (tags.value) settings.tags = tags.value;
  const sslRedirect = parseInt32(annotations, key('ssl-redirect'));
  if (!sslRedirect.ok)
    return { error: memberError(ingress, annotationField(key('ssl-redirect')), sslRedirect.error) };
  if (sslRedirect.value !== undefined)
    settings.sslRedirectPort = { value: sslRedirect.value, key: key('ssl-redirect') };
  const waf = parseString(annotations, key('wafv2-acl-arn'));
  if (waf !== undefined) {
    const problem = waf === 'none' ? undefined : webAclArnProblem(waf);
    if (problem) return { error: memberError(ingress, annotationField(key('wafv2-acl-arn')), problem) };
    settings.wafv2AclArn = { value: waf, key: key('wafv2-acl-arn') };
  }
  const shield = parseBool(annotations, key('shield-advanced-protection'));
  if (!shield.ok) {
    return { error: memberError(ingress, annotationField(key('shield-advanced-protection')), shield.error) };
  }
  if (shield.value !== undefined) {
    settings.shieldAdvancedProtection = { value: shield.value, key: key('shield-advanced-protection') };
  }
  return { value: settings };
}

function buildRules(context: MemberContext): Outcome<MemberRule[]> {
  const { ingress } = context;
  const useRegex = parseBool(ingress.metadata.annotations ?? {}, key('use-regex-path-match'));
  if (!useRegex.ok)
    return { error: memberError(ingress, annotationField(key('use-regex-path-match')), useRegex.error) };
  const rules: MemberRule[] = [];
  for (const [ruleIndex, rule] of (ingress.spec?.rules ?? []).entries()) {
    if (!rule.http) continue;
    const sorted = sortIngressPaths(rule.http.paths);
    if ('error' in sorted)
      return { error: memberError(ingress, `spec.rules[${ruleIndex}].http.paths`, sorted.error) };
    for (const path of sorted.paths) {
      const pathIndex = rule.http.paths.indexOf(path);
      const fieldPath = `spec.rules[${ruleIndex}].http.paths[${pathIndex}]`;
      const raw = path.path ?? '';
      let patterns = { values: [] as string[], regexValues: [] as string[] };
      if (raw !== '') {
        const built = buildPathPatterns(raw, path.pathType, useRegex.value === true);
        if ('error' in built) return { error: memberError(ingress, `${fieldPath}.path`, built.error) };
        patterns = built;
      }
      const backend = resolveBackend(context, path.backend);
      if ('error' in backend)
        return { error: memberError(ingress, qualify(backend.field, fieldPath), backend.error) };
      const conditions = buildRuleConditions(rule.host, patterns, backend.value.conditions);
      if ('error' in conditions) return { error: memberError(ingress, fieldPath, conditions.error) };
      const valueProblem = conditionValueProblem(conditions.value);
      if (valueProblem) return { error: memberError(ingress, fieldPath, valueProblem) };
      const values = conditionValueCount(conditions.value);
      if (values > MAX_CONDITION_VALUES) {
        // AWS would refuse CreateRule at deploy time; refusing the member here keeps the group deployable
        return {
          error: memberError(
            ingress,
            fieldPath,
            `the rule for this path needs ${values} condition values; an ALB rule allows at most ${MAX_CONDITION_VALUES}`,
          ),
        };
      }
      rules.push({
        conditions: conditions.value,
        actions: [backend.value.action],
        targetGroups: backend.value.targetGroups,
        ...(backend.value.auth ? { auth: backend.value.auth } : {}),
      });
    }
  }
  return { value: rules };
}

/** ALB quota, not adjustable: condition values (a Prefix path counts 2, a host 1) per rule. */
const MAX_CONDITION_VALUES = 5;

function conditionValueCount(conditions: readonly RuleCondition[]): number {
  let count = 0;
  for (const condition of conditions) {
    const config = Object.values(condition).find((value) => typeof value === 'object') as
      | { values?: unknown[]; regexValues?: unknown[] }
      | undefined;
    count += (config?.values?.length ?? 0) + (config?.regexValues?.length ?? 0);
  }
  return count;
}

/** Backend errors name an annotation or a generic backend field; make the latter point at this path. */
function qualify(field: string, fieldPath: string): string {
  return field.startsWith('metadata.') ? field : `${fieldPath}.backend`;
}

export function buildMemberContribution(context: MemberContext): Outcome<MemberContribution> {
  const { ingress } = context;
  const unsupported = unsupportedIngressAnnotation(ingress.metadata.annotations ?? {});
  if (unsupported) return { error: memberError(ingress, unsupported.field, unsupported.message) };
  const settings = readSettings(context);
  if ('error' in settings) return settings;
  const listenPorts = parseListenPorts(ingress);
  if ('error' in listenPorts) return { error: memberError(ingress, listenPorts.field, listenPorts.error) };
  const rules = buildRules(context);
  if ('error' in rules) return rules;
  const contribution: MemberContribution = {
    ingress,
    ref: { kind: 'Ingress', namespace: ingress.metadata.namespace ?? '', name: ingress.metadata.name },
    settings: settings.value,
    listenPorts: listenPorts.value,
    rules: rules.value,
    tags: settings.value.tags?.value ?? {},
  };
  const defaultBackend = ingress.spec?.defaultBackend;
  if (defaultBackend) {
    const resolved = resolveBackend(context, defaultBackend);
    if ('error' in resolved) {
      return { error: memberError(ingress, qualify(resolved.field, 'spec.defaultBackend'), resolved.error) };
    }
    contribution.defaultBackend = resolved.value;
  }
  return { value: contribution };
}

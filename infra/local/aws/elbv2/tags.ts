/**
 * AddTags / RemoveTags / DescribeTags for load balancers, target groups, listeners and rules,
 * plus the `Tags` every Create* accepts. A resource's tags live beside it, keyed by ARN.
 */
import { fail, type Input, optionalString, records, strings, validationError } from './input.js';
import type { Elbv2State } from './state.js';

/** at most 20 resources per DescribeTags call (API reference) */
const DESCRIBE_TAGS_MAX_RESOURCES = 20;

export type Tag = { Key: string; Value: string };

/** Parses and checks a `Tags` list: key 1–128 characters, not `aws:`, value ≤ 256, keys unique. */
export function parseTags(input: Input, field = 'Tags'): Tag[] {
  const tags = records(input, field).map((item, index) => {
    const path = `${field}.member.${index + 1}`;
    const key = optionalString(item, 'Key', `${path}.Key`);
    if (key === undefined || key.length === 0 || key.length > 128)
      validationError(`Tag key at '${path}.Key' must be 1 to 128 characters`);
    if (key.toLowerCase().startsWith('aws:')) validationError(`Tag key '${key}' cannot start with 'aws:'`);
    const value = optionalString(item, 'Value', `${path}.Value`) ?? '';
    if (value.length > 256)
      validationError(`Tag value for key '${key}' cannot be longer than 256 characters`);
    return { Key: key, Value: value };
  });
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag.Key)) fail('DuplicateTagKeys', `Tag key '${tag.Key}' is specified more than once`);
    seen.add(tag.Key);
  }
  return tags;
}

const NOT_FOUND_CODES: Record<string, string> = {
  loadbalancer: 'LoadBalancerNotFound',
  targetgroup: 'TargetGroupNotFound',
  listener: 'ListenerNotFound',
  'listener-rule': 'RuleNotFound',
};

/** answers the not-found error AWS gives for an ARN of this resource type */
function assertResourceExists(state: Elbv2State, arn: string): void {
  const resource = /^arn:aws:elasticloadbalancing:[^:]*:[^:]*:([a-z-]+)\//.exec(arn)?.[1] ?? '';
  const code = NOT_FOUND_CODES[resource];
  if (!code) validationError(`'${arn}' is not a valid load balancer, target group, listener or rule ARN`);
  const store = {
    loadbalancer: state.loadBalancers,
    targetgroup: state.targetGroups,
    listener: state.listeners,
    'listener-rule': state.rules,
  }[resource as 'loadbalancer'];
  if (!store.has(arn)) fail(code, `Resource '${arn}' not found`);
}

/** Sets tags on a resource, checking the per-resource quota against the merged result. */
export function applyTags(state: Elbv2State, arn: string, tags: readonly Tag[]): void {
  const current = state.tags.get(arn) ?? new Map<string, string>();
  const merged = new Map(current);
  for (const tag of tags) merged.set(tag.Key, tag.Value);
  const limit = state.deps.quotas.tagsPerResource;
  if (merged.size > limit)
    fail('TooManyTags', `Resource '${arn}' would have ${merged.size} tags; the limit is ${limit}`);
  state.tags.set(arn, merged);
}

export function addTags(state: Elbv2State, input: Input): Record<string, never> {
  const arns = strings(input, 'ResourceArns');
  if (arns.length === 0) validationError('ResourceArns is required');
  const tags = parseTags(input);
  if (tags.length === 0) validationError('Tags is required');
  for (const arn of arns) assertResourceExists(state, arn);
  // check every resource before changing any, so a quota failure leaves nothing half-tagged
  for (const arn of arns) {
    const keys = new Set([...(state.tags.get(arn)?.keys() ?? []), ...tags.map((tag) => tag.Key)]);
    if (keys.size > state.deps.quotas.tagsPerResource)
      fail(
        'TooManyTags',
        `Resource '${arn}' would have ${keys.size} tags; the limit is ${state.deps.quotas.tagsPerResource}`,
      );
  }
  for (const arn of arns) applyTags(state, arn, tags);
  return {};
}

export function removeTags(state: Elbv2State, input: Input): Record<string, never> {
  const arns = strings(input, 'ResourceArns');
  if (arns.length === 0) validationError('ResourceArns is required');
  const keys = strings(input, 'TagKeys');
  if (keys.length === 0) validationError('TagKeys is required');
  for (const arn of arns) assertResourceExists(state, arn);
  for (const arn of arns) for (const key of keys) state.tags.get(arn)?.delete(key);
  return {};
}

export function describeTags(state: Elbv2State, input: Input) {
  const arns = strings(input, 'ResourceArns');
  if (arns.length === 0) validationError('ResourceArns is required');
  if (arns.length > DESCRIBE_TAGS_MAX_RESOURCES)
    validationError(
      `Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to ${DESCRIBE_TAGS_MAX_RESOURCES}`,
    );
  for (const arn of arns) assertResourceExists(state, arn);
  return {
    TagDescriptions: arns.map((arn) => ({
      ResourceArn: arn,
      Tags: [...(state.tags.get(arn) ?? [])].map(([Key, Value]) => ({ Key, Value })),
    })),
  };
}

export function tagsOf(state: Elbv2State, arn: string): Record<string, string> {
  return Object.fromEntries(state.tags.get(arn) ?? []);
}

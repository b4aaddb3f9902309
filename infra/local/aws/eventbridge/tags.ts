/**
 * TagResource, UntagResource, ListTagsForResource for buses and rules, and the Tags parameter
 * of CreateEventBus and PutRule. At most 50 tags per resource; keys of 1-128 and values of
 * 0-256 characters; keys starting with `aws:` are AWS's own.
 */
import { AwsApiError } from '../api-error.js';
import { type Input, optionalArray, requiredString, validationError } from './input.js';
import type { Bus, Rule } from './model.js';
import { notFound, type State } from './state.js';

export const MAX_TAGS = 50;

function resourceByArn(state: State, arn: string): Bus | Rule {
  for (const bus of state.buses.values()) {
    if (bus.arn === arn) return bus;
    for (const rule of bus.rules.values()) if (rule.arn === arn) return rule;
  }
  throw notFound(`Resource ${arn} does not exist.`);
}

/** reads a `Tags` list ([{Key, Value}]); undefined when the parameter is absent */
export function readTags(input: Input, field = 'Tags'): Map<string, string> | undefined {
  const list = optionalArray(input, field);
  if (list === undefined) return undefined;
  const tags = new Map<string, string>();
  list.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw validationError(`${field}[${i}] must be a structure with Key and Value`);
    const tag = raw as Input;
    const key = requiredString(tag, 'Key', { min: 1, max: 128 });
    if (key.startsWith('aws:'))
      throw validationError(`${field}[${i}].Key ${key}: the aws: prefix is reserved`);
    tags.set(key, requiredString(tag, 'Value', { max: 256 }));
  });
  return tags;
}

export function applyTags(target: Map<string, string>, tags: Map<string, string>, arn: string): void {
  const merged = new Map([...target, ...tags]);
  if (merged.size > MAX_TAGS)
    throw new AwsApiError(
      'LimitExceededException',
      `${arn} would have ${merged.size} tags; the limit is ${MAX_TAGS}.`,
    );
  for (const [key, value] of tags) target.set(key, value);
}

export function tagResource(state: State, input: Input) {
  const arn = requiredString(input, 'ResourceARN', { min: 1, max: 1600 });
  const tags = readTags(input);
  if (tags === undefined) throw validationError('Parameter Tags is required');
  const resource = resourceByArn(state, arn);
  applyTags(resource.tags, tags, arn);
  return {};
}

export function untagResource(state: State, input: Input) {
  const arn = requiredString(input, 'ResourceARN', { min: 1, max: 1600 });
  const keys = optionalArray(input, 'TagKeys');
  if (keys === undefined) throw validationError('Parameter TagKeys is required');
  const resource = resourceByArn(state, arn);
  keys.forEach((key, i) => {
    if (typeof key !== 'string') throw validationError(`TagKeys[${i}] must be a string`);
    resource.tags.delete(key);
  });
  return {};
}

export function listTagsForResource(state: State, input: Input) {
  const resource = resourceByArn(state, requiredString(input, 'ResourceARN', { min: 1, max: 1600 }));
  return { Tags: [...resource.tags].map(([Key, Value]) => ({ Key, Value })) };
}

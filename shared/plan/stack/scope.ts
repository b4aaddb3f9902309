import type { Attribute, Stack } from '../../model/stack.js';
import { TAG_KEYS } from '../../model/tags.js';
import type { TagMap } from '../stack-actual.js';

/**
 * What every resource synthesizer needs to know about the stack it plans: which actual resources
 * are its own (cluster and stack tags) and the tag that names a resource's model ID.
 */
export interface StackScope {
  kind: Stack['kind'];
  vpcId: string;
  /** the tag whose value is the resource's model ID (e.g. `LoadBalancer`, a target group ID) */
  resourceTag: string;
  owned(tags: TagMap): boolean;
}

export function stackScope(stack: Stack, vpcId: string): StackScope {
  const resourceTag = stack.kind === 'ingress' ? TAG_KEYS.ingressResource : TAG_KEYS.serviceResource;
  const stackTag = stack.kind === 'ingress' ? TAG_KEYS.ingressStack : TAG_KEYS.serviceStack;
  const cluster = stack.stackTags[TAG_KEYS.cluster];
  return {
    kind: stack.kind,
    vpcId,
    resourceTag,
    owned: (tags) => tags[TAG_KEYS.cluster] === cluster && tags[stackTag] === stack.id,
  };
}

/** Ref path -> value, for what exists already: the values a later step resolves its Refs with. */
export type KnownValues = ReadonlyMap<string, string>;

/** Only the attribute keys the user set, and only those AWS holds with another value. */
export function changedAttributes(want: readonly Attribute[], have: Record<string, string>): Attribute[] {
  return want.filter((attribute) => have[attribute.key] !== attribute.value);
}

/** Tags to add or update; undefined when there are none (slbc never removes a tag). */
export function missingTags(want: TagMap, have: TagMap): TagMap | undefined {
  const entries = Object.entries(want).filter(([key, value]) => have[key] !== value);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((item) => left.has(item));
}

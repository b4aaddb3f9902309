import type { Attribute } from './stack.js';

/** Attributes sorted by key, so the same annotation always yields the same model. */
export function attributesOf(map: Record<string, string>): Attribute[] {
  return Object.keys(map)
    .sort()
    .map((key) => ({ key, value: map[key]! }));
}

import type { DiscoveredSecurityGroup } from './inputs.js';

/** `security-groups` annotation values: an `sg-...` ID, or the value of exactly one group's Name tag. */
export function resolveSecurityGroups(
  values: readonly string[],
  known: readonly DiscoveredSecurityGroup[] = [],
): { ids: string[] } | { error: string } {
  const ids: string[] = [];
  for (const value of values) {
    if (value.startsWith('sg-')) {
      ids.push(value);
      continue;
    }
    const matches = known.filter((group) => group.tags['Name'] === value);
    if (matches.length !== 1) return { error: `couldn't find exactly one security group named ${value}` };
    ids.push(matches[0]!.groupId);
  }
  return { ids };
}

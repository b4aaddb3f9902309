/**
 * EC2 `Filter.N.Name` / `Filter.N.Value.M` matching. Each resource kind names the filters it
 * supports; an unknown filter name is rejected as EC2 does rather than silently matching all.
 * Values may use EC2's wildcards (`*` any run, `?` one character). A resource matches when
 * every filter matches (AND) and, within a filter, any value matches (OR).
 */
import { AwsApiError } from '../api-error.js';
import { type Input, invalidValue, requiredString, stringList, structList } from './input.js';

export interface Filter {
  name: string;
  values: RegExp[];
}

/** Values a resource has for a plain (non-tag) filter name. */
export type FilterFields<T> = Record<string, (resource: T) => Array<string | undefined>>;

export function parseFilters(input: Input, supported: FilterFields<never>): Filter[] {
  return structList(input, 'Filter').map((filter, index) => {
    const name = requiredString(filter, 'Name');
    if (!isTagFilter(name) && !(name in supported)) {
      throw new AwsApiError('InvalidParameterValue', `The filter '${name}' is invalid`);
    }
    const values = stringList(filter, 'Value');
    if (values.length === 0)
      throw invalidValue(`Filter.${index + 1}.Value`, '', 'A filter needs at least one value.');
    return { name, values: values.map(wildcardToRegExp) };
  });
}

export function matchesFilters<T>(
  resource: T,
  tags: ReadonlyMap<string, string>,
  filters: readonly Filter[],
  fields: FilterFields<T>,
): boolean {
  return filters.every((filter) => {
    const candidates = valuesFor(resource, tags, filter.name, fields);
    return candidates.some(
      (value) => value !== undefined && filter.values.some((pattern) => pattern.test(value)),
    );
  });
}

function valuesFor<T>(
  resource: T,
  tags: ReadonlyMap<string, string>,
  name: string,
  fields: FilterFields<T>,
): Array<string | undefined> {
  if (name.startsWith('tag:')) return [tags.get(name.slice(4))];
  if (name === 'tag-key') return [...tags.keys()];
  if (name === 'tag-value') return [...tags.values()];
  return fields[name]?.(resource) ?? [];
}

function isTagFilter(name: string): boolean {
  return (name.startsWith('tag:') && name.length > 4) || name === 'tag-key' || name === 'tag-value';
}

export function wildcardToRegExp(value: string): RegExp {
  const escaped = value
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

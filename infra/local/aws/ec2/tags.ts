/**
 * EC2 tags: `Tag.N.Key/Value` on CreateTags/DeleteTags, `TagSpecification.N` on create calls,
 * and the `tagSet` list every Describe answer carries.
 */
import { AwsApiError } from '../api-error.js';
import { type Input, invalidValue, optionalString, requiredString, structList } from './input.js';

export const MAX_TAGS = 50;

export function tagSet(tags: ReadonlyMap<string, string>): Array<{ key: string; value: string }> {
  return [...tags].map(([key, value]) => ({ key, value }));
}

export interface TagInput {
  key: string;
  /** undefined on DeleteTags means "whatever the value" */
  value: string | undefined;
}

export function parseTags(input: Input, name: string): TagInput[] {
  return structList(input, name).map((tag, index) => {
    const key = requiredString(tag, 'Key');
    if (key.length > 128)
      throw invalidValue(`${name}.${index + 1}.Key`, key, 'Tag keys are at most 128 characters.');
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidValue(`${name}.${index + 1}.Key`, key, "Tag keys starting with 'aws:' are reserved.");
    }
    const value = optionalString(tag, 'Value');
    if (value !== undefined && value.length > 256) {
      throw invalidValue(`${name}.${index + 1}.Value`, value, 'Tag values are at most 256 characters.');
    }
    return { key, value };
  });
}

/** The tags a create call asks for on `resourceType`; specifications for other types are an error. */
export function tagsFromSpecifications(input: Input, resourceType: string): TagInput[] {
  const tags: TagInput[] = [];
  structList(input, 'TagSpecification').forEach((spec, index) => {
    const type = optionalString(spec, 'ResourceType');
    if (type !== resourceType) {
      throw invalidValue(
        `TagSpecification.${index + 1}.ResourceType`,
        type,
        `This call creates a ${resourceType}; tags can only be given for it.`,
      );
    }
    tags.push(...parseTags(spec, 'Tag'));
  });
  return tags;
}

export function applyTags(target: Map<string, string>, tags: readonly TagInput[], resourceId: string): void {
  const added = tags.filter((tag) => !target.has(tag.key)).length;
  if (target.size + added > MAX_TAGS) {
    throw new AwsApiError(
      'TagLimitExceeded',
      `The maximum number of tags (${MAX_TAGS}) for ${resourceId} was exceeded`,
    );
  }
  for (const tag of tags) target.set(tag.key, tag.value ?? '');
}

export function removeTags(target: Map<string, string>, tags: readonly TagInput[]): void {
  if (tags.length === 0) {
    target.clear();
    return;
  }
  for (const tag of tags) {
    if (tag.value === undefined || target.get(tag.key) === tag.value) target.delete(tag.key);
  }
}

/**
 * The patch documents the simulator writes and reads:
 *
 * - `twoWayMergePatch(old, new)`: what the kubelet sends for pods/status (strategic-merge-patch
 *   semantics from CreateTwoWayMergePatch): only changed fields; lists with a merge key
 *   (conditions by `type`, podIPs by `ip`) carry only the changed entries plus
 *   `$setElementOrder/<list>`; other lists are atomic; removed fields are `null`; keys sorted,
 *   as Go serialises maps.
 * - `applyMergePatch`, `applyStrategicMergePatch`, `applyJsonPatch`: what the HTTP API accepts.
 */

type JsonObject = Record<string, unknown>;

/** Lists patched element by element, keyed by this field (from the Kubernetes API's patchMergeKey tags). */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  conditions: 'type',
  podIPs: 'ip',
  hostIPs: 'ip',
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out as T;
}

function diffMergeList(key: string, oldList: JsonObject[], newList: JsonObject[]): JsonObject[] {
  const byKey = new Map(oldList.map((item) => [String(item[key]), item]));
  const changed: JsonObject[] = [];
  for (const item of newList) {
    const before = byKey.get(String(item[key]));
    if (!before) changed.push(item);
    else {
      const delta = diffObjects(before, item);
      if (Object.keys(delta).length > 0) changed.push({ ...delta, [key]: item[key] });
    }
  }
  const kept = new Set(newList.map((item) => String(item[key])));
  for (const item of oldList)
    if (!kept.has(String(item[key]))) changed.push({ $patch: 'delete', [key]: item[key] });
  return changed;
}

function diffObjects(oldValue: JsonObject, newValue: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of new Set([...Object.keys(oldValue), ...Object.keys(newValue)])) {
    const before = oldValue[key];
    const after = newValue[key];
    if (after === undefined) {
      if (before !== undefined) patch[key] = null;
      continue;
    }
    if (before === undefined) {
      patch[key] = after;
      continue;
    }
    const mergeKey = MERGE_KEYS[key];
    if (mergeKey && Array.isArray(before) && Array.isArray(after)) {
      const changed = diffMergeList(mergeKey, before as JsonObject[], after as JsonObject[]);
      if (changed.length > 0) {
        patch[`$setElementOrder/${key}`] = after.map((item) => ({
          [mergeKey]: (item as JsonObject)[mergeKey],
        }));
        patch[key] = changed;
      }
    } else if (isObject(before) && isObject(after)) {
      const nested = diffObjects(before, after);
      if (Object.keys(nested).length > 0) patch[key] = nested;
    } else if (!equal(before, after)) patch[key] = after;
  }
  return patch;
}

/** The two-way strategic merge patch from `oldValue` to `newValue`, keys sorted. */
export function twoWayMergePatch(oldValue: JsonObject, newValue: JsonObject): JsonObject {
  return sortKeys(diffObjects(oldValue, newValue));
}

/** RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}

/** Strategic merge: like a merge patch, but lists with a merge key merge by that key. */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key === '$patch') continue;
    const mergeKey = MERGE_KEYS[key];
    if (value === null) delete out[key];
    else if (mergeKey && Array.isArray(value))
      out[key] = mergeList(mergeKey, out[key], value, patch[`$setElementOrder/${key}`]);
    else out[key] = applyStrategicMergePatch(out[key], value);
  }
  return out;
}

function mergeList(mergeKey: string, current: unknown, patchItems: unknown[], order: unknown): JsonObject[] {
  const items = new Map<string, JsonObject>();
  for (const item of Array.isArray(current) ? (current as JsonObject[]) : [])
    items.set(String(item[mergeKey]), item);
  for (const item of patchItems as JsonObject[]) {
    const id = String(item[mergeKey]);
    if (item.$patch === 'delete') items.delete(id);
    else items.set(id, applyStrategicMergePatch(items.get(id), item) as JsonObject);
  }
  if (!Array.isArray(order)) return [...items.values()];
  const ordered: JsonObject[] = [];
  for (const entry of order as JsonObject[]) {
    const item = items.get(String(entry[mergeKey]));
    if (item) {
      ordered.push(item);
      items.delete(String(entry[mergeKey]));
    }
  }
  return [...ordered, ...items.values()];
}

export class PatchError extends Error {
  override readonly name = 'PatchError';
}

function decodePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`JSON pointer "${path}" must start with "/"`);
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 JSON patch (add, remove, replace, test; the operations clients send for status). */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be an array of operations');
  let document = structuredClone(target);
  operations.forEach((operation, index) => {
    if (!isObject(operation) || typeof operation.op !== 'string' || typeof operation.path !== 'string')
      throw new PatchError(`operation ${index} needs "op" and "path"`);
    const parts = decodePointer(operation.path);
    if (parts.length === 0) {
      if (operation.op === 'test') {
        if (!equal(document, operation.value)) throw new PatchError(`test failed at ""`);
      } else document = structuredClone(operation.value);
      return;
    }
    const last = parts.pop() as string;
    let parent: unknown = document;
    for (const part of parts) {
      parent = Array.isArray(parent) ? parent[Number(part)] : isObject(parent) ? parent[part] : undefined;
      if (parent === undefined) throw new PatchError(`path ${operation.path}: "${part}" does not exist`);
    }
    const container = parent as JsonObject | unknown[];
    switch (operation.op) {
      case 'add':
      case 'replace': {
        if (Array.isArray(container)) {
          const at = last === '-' ? container.length : Number(last);
          if (operation.op === 'add') container.splice(at, 0, structuredClone(operation.value));
          else container[at] = structuredClone(operation.value);
        } else {
          if (operation.op === 'replace' && !(last in container))
            throw new PatchError(`path ${operation.path} does not exist`);
          container[last] = structuredClone(operation.value);
        }
        return;
      }
      case 'remove':
        if (Array.isArray(container)) container.splice(Number(last), 1);
        else if (last in container) delete container[last];
        else throw new PatchError(`path ${operation.path} does not exist`);
        return;
      case 'test': {
        const actual = Array.isArray(container) ? container[Number(last)] : container[last];
        if (!equal(actual, operation.value)) throw new PatchError(`test failed at ${operation.path}`);
        return;
      }
      default:
        throw new PatchError(`operation ${index}: unsupported op "${operation.op}"`);
    }
  });
  return document;
}

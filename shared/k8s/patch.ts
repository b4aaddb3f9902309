/**
 * Strategic-merge patching of a pod's status, as the API server applies a kubelet's
 * `pods/status` patch. The audit log records only the patch (Request level), so slbc replays
 * it onto its mirror. Lists with a merge key are merged element by element:
 * `conditions` by `type`, `podIPs` by `ip`; every other list is replaced whole, maps merge
 * recursively, and `null` deletes a field. The directives kubelets send are honoured:
 * `$setElementOrder/<list>` orders the merged list, `{"$patch": "delete", <key>: ...}` removes
 * an element, and `$retainKeys`/other `$` keys are ignored.
 *
 * Pure: inputs are never mutated.
 */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  conditions: 'type',
  podIPs: 'ip',
  hostIPs: 'ip',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The status part of a patch: kubelets send `{metadata: {uid}, status: {...}}`; some callers pass the status alone. */
export function statusOfPatch(patch: Json): Json {
  return isObject(patch['status']) ? patch['status'] : patch;
}

export function mergeStatus(status: Json | undefined, patch: Json): Json {
  return mergeMap(status ?? {}, patch);
}

function mergeMap(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [field, value] of Object.entries(patch)) {
    if (field.startsWith('$')) continue;
    if (value === null) {
      delete out[field];
      continue;
    }
    const mergeKey = MERGE_KEYS[field];
    if (mergeKey !== undefined && Array.isArray(value)) {
      const order = patch[`$setElementOrder/${field}`];
      out[field] = mergeList(
        Array.isArray(out[field]) ? (out[field] as unknown[]) : [],
        value,
        mergeKey,
        Array.isArray(order) ? order : undefined,
      );
    } else if (isObject(value) && isObject(out[field])) {
      out[field] = mergeMap(out[field] as Json, value);
    } else {
      out[field] = value;
    }
  }
  // a list present only as an order directive still gets reordered (elements unchanged)
  for (const [field, order] of Object.entries(patch)) {
    const listField = field.startsWith('$setElementOrder/')
      ? field.slice('$setElementOrder/'.length)
      : undefined;
    const mergeKey = listField === undefined ? undefined : MERGE_KEYS[listField];
    if (listField === undefined || mergeKey === undefined || listField in patch || !Array.isArray(order))
      continue;
    if (Array.isArray(out[listField]))
      out[listField] = mergeList(out[listField] as unknown[], [], mergeKey, order);
  }
  return out;
}

function mergeList(
  base: unknown[],
  patch: unknown[],
  mergeKey: string,
  order: unknown[] | undefined,
): unknown[] {
  const byKey = new Map<unknown, unknown>();
  const unkeyed: unknown[] = [];
  for (const element of base) {
    if (isObject(element) && mergeKey in element) byKey.set(element[mergeKey], element);
    else unkeyed.push(element);
  }
  for (const element of patch) {
    if (!isObject(element) || !(mergeKey in element)) {
      unkeyed.push(element);
      continue;
    }
    const id = element[mergeKey];
    if (element['$patch'] === 'delete') {
      byKey.delete(id);
      continue;
    }
    const existing = byKey.get(id);
    byKey.set(id, isObject(existing) ? mergeMap(existing, element) : mergeMap({}, element));
  }
  let merged = [...byKey.values()];
  if (order !== undefined) {
    const rank = new Map<unknown, number>();
    order.forEach((entry, index) => {
      if (isObject(entry)) rank.set(entry[mergeKey], index);
    });
    // elements the order names come first in its order; others keep their relative position after
    merged = merged
      .map((element, index) => ({ element, index }))
      .sort((a, b) => {
        const ra = rank.get((a.element as Json)[mergeKey]) ?? order.length + a.index;
        const rb = rank.get((b.element as Json)[mergeKey]) ?? order.length + b.index;
        return ra - rb;
      })
      .map(({ element }) => element);
  }
  return [...merged, ...unkeyed];
}

/** The status fields the mirror keeps (see PodSchema), and the directives that act on them. */
const POD_STATUS_FIELDS: Readonly<Record<string, readonly string[] | true>> = {
  phase: true,
  podIP: true,
  podIPs: ['ip', '$patch'],
  conditions: ['type', 'status', 'lastTransitionTime', '$patch'],
  '$setElementOrder/conditions': ['type'],
  '$setElementOrder/podIPs': ['ip'],
};

/**
 * Trims a pod status patch to what the mirror keeps, so a kubelet's containerStatuses and
 * probe timestamps do not bloat the item (and its write units).
 */
export function trimPodStatusPatch(patch: Json): Json {
  const out: Json = {};
  for (const [field, keep] of Object.entries(POD_STATUS_FIELDS)) {
    if (!(field in patch)) continue;
    const value = patch[field];
    if (keep === true || !Array.isArray(value)) {
      out[field] = value;
      continue;
    }
    out[field] = value.map((element) =>
      isObject(element)
        ? Object.fromEntries(Object.entries(element).filter(([key]) => keep.includes(key)))
        : element,
    );
  }
  return out;
}

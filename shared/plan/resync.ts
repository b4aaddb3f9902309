import { type AnyObject, CLUSTER_SCOPED, type Kind, OBJECT_SCHEMAS } from '../k8s/objects.js';
import { storedForm } from '../state/mirror-rules.js';

/**
 * Resync's plan for one kind: what the Kubernetes API lists against what the mirror holds.
 * Pure. Only objects whose trimmed content differs are re-sent, so a quiet cluster costs no
 * events; only a complete list may delete, because an object missing from a partial list may
 * just be on a page that was never read.
 */
export type ResyncChange =
  | { op: 'upsert'; kind: Kind; object: AnyObject; reason: 'missing' | 'changed' }
  | { op: 'delete'; kind: Kind; object: AnyObject };

export interface ResyncInput {
  kind: Kind;
  listed: readonly Record<string, unknown>[];
  mirrored: readonly AnyObject[];
  /** every page of the list was read */
  complete: boolean;
}

export interface ResyncPlan {
  changes: ResyncChange[];
  /** listed items that failed their schema: reported, never sent */
  invalid: { name: string; message: string }[];
}

export function planResync(input: ResyncInput): ResyncPlan {
  const schema = OBJECT_SCHEMAS[input.kind];
  const mirrored = new Map(input.mirrored.map((object) => [objectKey(input.kind, object), object]));
  const changes: ResyncChange[] = [];
  const invalid: ResyncPlan['invalid'] = [];
  const seen = new Set<string>();

  for (const raw of input.listed) {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const meta = (raw as { metadata?: { namespace?: string; name?: string } }).metadata;
      const issue = parsed.error.issues[0];
      invalid.push({
        name: `${input.kind} ${meta?.namespace ? `${meta.namespace}/` : ''}${meta?.name ?? '?'}`,
        message: `field ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
      });
      continue;
    }
    const object = parsed.data as AnyObject;
    const key = objectKey(input.kind, object);
    seen.add(key);
    const current = mirrored.get(key);
    if (current === undefined) changes.push({ op: 'upsert', kind: input.kind, object, reason: 'missing' });
    else if (!sameContent(current, storedForm(input.kind, object)))
      changes.push({ op: 'upsert', kind: input.kind, object, reason: 'changed' });
  }

  if (input.complete) {
    for (const [key, object] of mirrored) {
      if (!seen.has(key)) changes.push({ op: 'delete', kind: input.kind, object });
    }
  }
  return { changes, invalid };
}

export function objectKey(kind: Kind, object: AnyObject): string {
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : (object.metadata.namespace ?? 'default');
  return `${namespace}/${object.metadata.name}`;
}

/** Equal as slbc reads them: key order and resourceVersion do not count. */
function sameContent(a: AnyObject, b: AnyObject): boolean {
  if (a.metadata.uid !== undefined && b.metadata.uid !== undefined && a.metadata.uid !== b.metadata.uid)
    return false;
  return canonical(withoutVersion(a)) === canonical(withoutVersion(b));
}

function withoutVersion(object: AnyObject): unknown {
  const { resourceVersion: _ignored, generation: _generation, ...metadata } = object.metadata;
  const { kind: _kind, ...rest } = object as AnyObject & { kind?: string };
  return { ...rest, metadata };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

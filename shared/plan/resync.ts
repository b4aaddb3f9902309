import { type AnyObject, CLUSTER_SCOPED, type Kind, OBJECT_SCHEMAS } from '../k8s/objects.js';
import { storedForm } from '../state/mirror-rules.js';

/**
 * Resync's plan for one kind: what the Kubernetes API lists against what the mirror holds.
 * Pure. Only objects whose trimmed content differs are re-sent, so a quiet cluster costs no
 * events; only a complete list may delete, because an object missing from a partial list may
 * just be on a page that was never read.
 */
export type ResyncChange =
  | {
      op: 'upsert';
      kind: Kind;
      object: AnyObject;
      reason: 'missing' | 'changed';
      /** the mirror's resourceVersion of the object ('' when it holds none) */
      mirroredVersion: string;
    }
  | { op: 'delete'; kind: Kind; object: AnyObject; mirroredVersion: string };

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
    if (current === undefined)
      changes.push({ op: 'upsert', kind: input.kind, object, reason: 'missing', mirroredVersion: '' });
    else if (!sameContent(current, storedForm(input.kind, object)))
      changes.push({
        op: 'upsert',
        kind: input.kind,
        object,
        reason: 'changed',
        mirroredVersion: current.metadata.resourceVersion ?? '',
      });
  }

  if (input.complete) {
    for (const [key, object] of mirrored) {
      if (!seen.has(key))
        changes.push({
          op: 'delete',
          kind: input.kind,
          object,
          mirroredVersion: object.metadata.resourceVersion ?? '',
        });
    }
  }
  return { changes, invalid };
}

/**
 * A scheduled resync runs while the audit log may be minutes late: a difference it finds is
 * most often a change whose audit event is still on its way, and re-sending it would do the
 * work twice (a rollout of a thousand pods, a thousand events more). So a difference is sent
 * only on its second sighting, when the mirror's copy did not move in between: a whole resync
 * period passed and no event for the object arrived. One that the mirror caught up with is
 * gone by then; one whose mirror copy moved (events are arriving) is watched again. Every
 * difference is kept as a sighting, the ones sent too: one that is still there next time (its
 * events lost again, or the publish failed) is sent again, as every run did before. A dropped
 * event is healed within two periods instead of one; a resync asked for by hand sends every
 * difference at once.
 *
 * `previous`: the sightings the last scheduled run kept, by `sightingKey`, each the mirror's
 * resourceVersion then. Returns what to send now and the sightings to keep for the next run.
 */
export function holdFirstSightings(
  changes: readonly ResyncChange[],
  previous: ReadonlyMap<string, string>,
): { send: ResyncChange[]; sightings: Map<string, string> } {
  const send: ResyncChange[] = [];
  const sightings = new Map<string, string>();
  for (const change of changes) {
    const key = sightingKey(change);
    if (previous.get(key) === change.mirroredVersion) send.push(change);
    sightings.set(key, change.mirroredVersion);
  }
  return { send, sightings };
}

/** `<Kind> <namespace>/<name> <op>`: a difference across resync runs */
export function sightingKey(change: ResyncChange): string {
  return `${change.kind} ${objectKey(change.kind, change.object)} ${change.op}`;
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

import { mergeStatus } from '../k8s/patch.js';
import { compareResourceVersions } from './ordering.js';

/**
 * What the mirror does with one incoming change, decided without I/O. The mirror keeps, per
 * object, the last full object, a tombstone after a delete, and status patches that arrived
 * before their pod ("pending", applied when the pod with that uid arrives).
 *
 *  incoming          | existing state                      | result
 *  ------------------|-------------------------------------|-------------------------------------------
 *  upsert / delete   | none                                | written
 *  upsert / delete   | newer or same version               | ignored (stale or duplicate)
 *  upsert            | tombstone, older version or new uid | revived
 *  delete            | live, same uid                      | tombstone (object dropped, version kept)
 *  status patch      | live pod, same uid, older patch     | merged (strategic merge) into status
 *  status patch      | at or after this patch's time       | ignored
 *  status patch      | tombstone of the same uid           | ignored (the pod is gone)
 *  status patch      | none, or another uid                | kept as pending for its uid
 */
type Json = Record<string, unknown>;

export interface PendingPatch {
  uid: string;
  /** the merged status patches, applied in order */
  patch: Json;
  order: string;
}

export interface MirrorState {
  uid?: string;
  resourceVersion?: string;
  /** order key of the last full object or delete written */
  order: string;
  /** order key of the last status patch merged into `object` */
  statusOrder?: string;
  object?: Json;
  deleted: boolean;
  pending?: PendingPatch;
}

export type Incoming =
  | { type: 'upsert'; object: Json; uid?: string; resourceVersion?: string; order: string }
  | { type: 'delete'; uid?: string; resourceVersion?: string; order: string }
  | { type: 'statusPatch'; uid: string; patch: Json; order: string };

export type Decision =
  | { write: false; reason: 'stale' | 'duplicate' | 'deleted' | 'unchanged' }
  | {
      write: true;
      next: MirrorState;
      outcome: 'created' | 'updated' | 'revived' | 'deleted' | 'patched' | 'pending';
    };

/** Is `incoming` later than what the mirror holds? Versions decide when comparable, else time. */
export function isNewer(
  existing: Pick<MirrorState, 'resourceVersion' | 'order'>,
  incoming: { resourceVersion?: string; order: string },
): boolean {
  const byVersion = compareResourceVersions(incoming.resourceVersion, existing.resourceVersion);
  if (byVersion !== undefined) return byVersion > 0;
  return incoming.order > existing.order;
}

export function decide(existing: MirrorState | undefined, incoming: Incoming): Decision {
  switch (incoming.type) {
    case 'upsert':
      return decideUpsert(existing, incoming);
    case 'delete':
      return decideDelete(existing, incoming);
    case 'statusPatch':
      return decidePatch(existing, incoming);
  }
}

function decideUpsert(
  existing: MirrorState | undefined,
  incoming: Extract<Incoming, { type: 'upsert' }>,
): Decision {
  if (existing !== undefined && existing.object === undefined && !existing.deleted) {
    // only a pending patch so far: treat as no object
    return { write: true, next: withPending(fresh(incoming), existing.pending), outcome: 'created' };
  }
  if (existing === undefined) return { write: true, next: fresh(incoming), outcome: 'created' };
  if (!isNewer(existing, incoming)) {
    const same = compareResourceVersions(incoming.resourceVersion, existing.resourceVersion) === 0;
    return { write: false, reason: same ? 'duplicate' : 'stale' };
  }
  let next = fresh(incoming);
  const sameUid = existing.uid === incoming.uid;
  if (
    sameUid &&
    !existing.deleted &&
    existing.statusOrder !== undefined &&
    existing.statusOrder > incoming.order
  ) {
    // a status patch later than this object was already merged: keep that status
    const status = existing.object?.['status'];
    next = { ...next, object: { ...incoming.object, status }, statusOrder: existing.statusOrder };
  }
  next = withPending(next, existing.pending);
  return { write: true, next, outcome: existing.deleted ? 'revived' : 'updated' };
}

function fresh(incoming: Extract<Incoming, { type: 'upsert' }>): MirrorState {
  return {
    ...(incoming.uid === undefined ? {} : { uid: incoming.uid }),
    ...(incoming.resourceVersion === undefined ? {} : { resourceVersion: incoming.resourceVersion }),
    order: incoming.order,
    object: incoming.object,
    deleted: false,
  };
}

/** Applies a pending patch for this object's uid if it is later than the object; keeps others' pending. */
function withPending(state: MirrorState, pending: PendingPatch | undefined): MirrorState {
  if (pending === undefined) return state;
  if (pending.uid !== state.uid) return { ...state, pending };
  const { pending: _dropped, ...rest } = state;
  const last = state.statusOrder ?? state.order;
  if (pending.order <= last || state.object === undefined) return rest;
  const status = mergeStatus(state.object['status'] as Json | undefined, pending.patch);
  return { ...rest, object: { ...state.object, status }, statusOrder: pending.order };
}

function decideDelete(
  existing: MirrorState | undefined,
  incoming: Extract<Incoming, { type: 'delete' }>,
): Decision {
  const tombstone = (previous?: MirrorState): MirrorState => {
    const resourceVersion = incoming.resourceVersion ?? previous?.resourceVersion;
    const pending =
      previous?.pending !== undefined && previous.pending.uid !== incoming.uid ? previous.pending : undefined;
    return {
      ...(incoming.uid === undefined ? {} : { uid: incoming.uid }),
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
      order: previous !== undefined && previous.order > incoming.order ? previous.order : incoming.order,
      deleted: true,
      ...(pending === undefined ? {} : { pending }),
    };
  };
  if (existing === undefined || (existing.object === undefined && !existing.deleted)) {
    return { write: true, next: tombstone(existing), outcome: 'deleted' };
  }
  if (existing.deleted) {
    if (isNewer(existing, incoming) && existing.uid !== incoming.uid) {
      return { write: true, next: tombstone(existing), outcome: 'deleted' };
    }
    return { write: false, reason: 'duplicate' };
  }
  const sameUid = incoming.uid === undefined || existing.uid === undefined || incoming.uid === existing.uid;
  if (sameUid || isNewer(existing, incoming))
    return { write: true, next: tombstone(existing), outcome: 'deleted' };
  // the delete of an older instance, after a newer one with the same name was created
  return { write: false, reason: 'stale' };
}

function decidePatch(
  existing: MirrorState | undefined,
  incoming: Extract<Incoming, { type: 'statusPatch' }>,
): Decision {
  const live = existing !== undefined && !existing.deleted && existing.object !== undefined;
  if (live && existing.uid === incoming.uid) {
    const last =
      existing.statusOrder !== undefined && existing.statusOrder > existing.order
        ? existing.statusOrder
        : existing.order;
    if (incoming.order <= last) return { write: false, reason: 'stale' };
    const object = existing.object as Json;
    const before = object['status'] as Json | undefined;
    const status = mergeStatus(before, incoming.patch);
    if (JSON.stringify(status) === JSON.stringify(before ?? {})) return { write: false, reason: 'unchanged' };
    return {
      write: true,
      next: { ...existing, object: { ...object, status }, statusOrder: incoming.order },
      outcome: 'patched',
    };
  }
  if (existing?.deleted === true && existing.uid === incoming.uid) return { write: false, reason: 'deleted' };
  const previous = existing?.pending;
  let pending: PendingPatch;
  if (previous === undefined || previous.uid !== incoming.uid) {
    pending = { uid: incoming.uid, patch: incoming.patch, order: incoming.order };
  } else if (incoming.order === previous.order) {
    return { write: false, reason: 'duplicate' };
  } else if (incoming.order > previous.order) {
    pending = {
      uid: incoming.uid,
      patch: mergeStatus(previous.patch, incoming.patch),
      order: incoming.order,
    };
  } else {
    pending = {
      uid: incoming.uid,
      patch: mergeStatus(incoming.patch, previous.patch),
      order: previous.order,
    };
  }
  if (previous !== undefined && JSON.stringify(previous) === JSON.stringify(pending)) {
    return { write: false, reason: 'duplicate' };
  }
  const base: MirrorState = existing ?? { order: '', deleted: false };
  return { write: true, next: { ...base, pending }, outcome: 'pending' };
}

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
 *  status patch      | at this patch's time                | ignored (duplicate)
 *  status patch      | after this patch's time             | ignored (stale)
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
    // the same patch again (a Lambda retry, a redelivery) is a duplicate, an older one stale
    if (incoming.order === last) return { write: false, reason: 'duplicate' };
    if (incoming.order < last) return { write: false, reason: 'stale' };
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

/**
 * Endpoints addresses are stored without `targetRef.uid`: random, it is most of the item after
 * compression (a 100-address Endpoints drops from ~3.2 KB to ~0.7 KB: 1 write unit, not 4), and
 * the pod behind an address is found by name in the pod mirror, which keeps its own uid.
 */
function compactEndpoints(object: Json): Json {
  const subsets = object['subsets'];
  if (!Array.isArray(subsets)) return object;
  const strip = (addresses: unknown) =>
    Array.isArray(addresses)
      ? addresses.map((address: Json) => {
          const targetRef = address['targetRef'] as Json | undefined;
          if (targetRef === undefined) return address;
          const { uid: _uid, ...rest } = targetRef;
          return { ...address, targetRef: rest };
        })
      : addresses;
  return {
    ...object,
    subsets: subsets.map((subset: Json) => ({
      ...subset,
      ...(subset['addresses'] === undefined ? {} : { addresses: strip(subset['addresses']) }),
      ...(subset['notReadyAddresses'] === undefined
        ? {}
        : { notReadyAddresses: strip(subset['notReadyAddresses']) }),
    })),
  };
}

/**
 * An object as the mirror stores and returns it. Whoever compares a live object with the
 * mirror (resync) compares this form, or every Endpoints would always look changed.
 */
export function storedForm<T extends object>(kind: string, object: T): T {
  return (kind === 'Endpoints' ? compactEndpoints(object as unknown as Json) : object) as T;
}

/**
 * Kinds mirrored by more than one function: Service events go to both targets and stacks, and
 * both write the same mirror item. Whichever writes second finds a duplicate that is still news
 * to it, so for these kinds a duplicate (or a delete already tombstoned) is routed like a
 * change. Reconciles are idempotent: at worst a replayed Service costs a pass with no writes.
 */
const SHARED_KINDS: ReadonlySet<string> = new Set(['Service']);

export function isNewsFor(kind: string, result: { applied: boolean; outcome: string }): boolean {
  if (result.applied) return true;
  return SHARED_KINDS.has(kind) && (result.outcome === 'duplicate' || result.outcome === 'deleted');
}

/**
 * The mirror already holds exactly this change: the event is a second delivery of one already
 * applied (Lambda retrying an event whose pass failed, EventBridge delivering twice, a duplicated
 * audit line). Its keys may still be dirty from the first attempt, so the route works them out
 * again and drives those still dirty, bumping none. An archive replay (`replay-name` set) is left
 * out: it is history, its keys were settled when it first happened.
 */
export function isRedelivery(
  event: { 'replay-name'?: string },
  result: { applied: boolean; outcome: string },
): boolean {
  return !result.applied && result.outcome === 'duplicate' && event['replay-name'] === undefined;
}

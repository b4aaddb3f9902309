import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Bindings } from './bindings.js';
import { RecordedErrors } from './errors.js';
import { History } from './history.js';
import { Mirror } from './mirror.js';
import { Ownership } from './ownership.js';
import { WorkQueue } from './queue.js';
import { ResyncSightings } from './resync-sightings.js';
import { StatusRecords } from './status.js';
import { createStore, type Store } from './store.js';

/**
 * The shared state layer in one value: every function opens it once per process with
 * `openState(dynamodb, tableName)` and uses the parts it needs. See docs/state.md.
 */
export interface State {
  store: Store;
  mirror: Mirror;
  queue: WorkQueue;
  bindings: Bindings;
  ownership: Ownership;
  history: History;
  errors: RecordedErrors;
  status: StatusRecords;
  resyncSightings: ResyncSightings;
}

export interface StateOptions {
  /** epoch ms; tests pass a virtual clock */
  now?: () => number;
  /** how long history, tombstones and orphan status patches are kept */
  historyDays?: number;
}

export function openState(dynamodb: DynamoDBClient, tableName: string, options: StateOptions = {}): State {
  return stateOver(createStore(dynamodb, tableName), options);
}

export function stateOver(store: Store, options: StateOptions = {}): State {
  const now = options.now ?? Date.now;
  const historyDays = options.historyDays ?? 14;
  const errors = new RecordedErrors(store, now);
  return {
    store,
    mirror: new Mirror(store, { now, tombstoneDays: historyDays }),
    queue: new WorkQueue(store, now),
    bindings: new Bindings(store, errors),
    ownership: new Ownership(store, now),
    history: new History(store, { now, historyDays }),
    errors,
    status: new StatusRecords(store, now),
    resyncSightings: new ResyncSightings(store),
  };
}

export { applyChange } from './apply-change.js';
export type { Binding } from './bindings.js';
export { BindingSchema } from './bindings.js';
export type { RecordedError } from './errors.js';
export type { Cause, HistoryEntry } from './history.js';
export {
  clusterOfStackKey,
  ingressGroupKey,
  parseStackKey,
  reconcileKeys,
  type StackKey,
  targetGroupOfKey,
} from './keys.js';
export type { ChangeMeta, Known, MirrorResult } from './mirror.js';
export { isNewsFor, isRedelivery } from './mirror-rules.js';
export type { OwnedTargets } from './ownership.js';
export type { DriveOptions, DriveResult, Lease, QueueEntry } from './queue.js';
export { workQueue } from './queue.js';
export type { StatusRecord } from './status.js';
export { ensureTable, TABLE_DEFINITION } from './table-definition.js';

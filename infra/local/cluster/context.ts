/**
 * What the simulator's parts share: the clock, the seeded RNG, the store, the write path, the
 * actor identities, tracked timers, and the resolved configuration. Timers go through `after`,
 * which counts them (so `settled()` knows when nothing is pending) and lets the controllers
 * react once the callback has changed something.
 */
import type { Clock } from '../aws/context.js';
import type { ApiServer } from './apiserver.js';
import type { Actor, ActorContext } from './audit/actors.js';
import type { Rng } from './rng.js';
import type { ObjectStore } from './store.js';

export interface ClusterDelays {
  /** pod created → bound to a node by the scheduler (default 200 ms) */
  schedule: number;
  /** bound → containers running with a pod IP (default 1500 ms) */
  containerStart: number;
  /** running → Ready, the readiness probe's first success (default 2000 ms; 0 = in the same status patch) */
  ready: number;
  /** SIGTERM → containers exited; capped by the grace period (default 1000 ms) */
  terminate: number;
}

export interface SimContext {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly store: ObjectStore;
  readonly api: ApiServer;
  readonly actors: ActorContext;
  /** the operator's kubectl: apply, delete, scale, cordon */
  readonly operator: Actor;
  readonly delays: ClusterDelays;
  readonly defaultGracePeriodSeconds: number;
  /** runs `fn` after `ms` of clock time, counted as pending work until it has run */
  after(ms: number, fn: () => void): () => void;
}

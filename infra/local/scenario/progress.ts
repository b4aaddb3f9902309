/**
 * What `slbc local run` says while it waits: every few wall seconds a line on stderr (dirty
 * keys, invocations, failures, recorded errors), and, when a wait runs out, which keys are
 * still unsettled and why. A key stuck past its budget becomes a recorded error
 * (kind `ReconcileKey`), so the report carries it instead of a silent wait.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { openState, type State } from '../../../shared/state/index.js';
import type { QueueEntry } from '../../../shared/state/queue.js';
import type { LocalSystem } from '../runtime/index.js';

export const PROGRESS_EVERY_MS = 5_000;
/** the recorded error's reconcile key: the local runner, not a function */
export const STUCK_KEY_RECORDER = 'local-run';

export interface Progress {
  /** what the run is waiting for now, e.g. `step 2 (apply)` */
  phase(name: string): void;
  /** the keys still dirty, each with why (lease, gens, recorded errors); records each as an error */
  unsettled(budgetMs: number): Promise<string[]>;
  stop(): void;
}

/** One dirty key in words: its gens, who holds it, and the last error recorded for it. */
export function describeUnsettled(
  entry: QueueEntry,
  now: number,
  errors: readonly { key: string; message: string }[],
): string {
  const lease =
    entry.leaseOwner === undefined
      ? 'no lease (nobody is working it: waiting for an event or resync)'
      : (entry.leaseUntil ?? 0) < now
        ? `lease of ${entry.leaseOwner} expired (holder crashed or stalled)`
        : `leased by ${entry.leaseOwner}`;
  const error = errors.find((recorded) => recorded.key === entry.key);
  return `${entry.key}: gen ${entry.gen}, done ${entry.doneGen}, ${lease}${error === undefined ? '' : `; last error: ${error.message}`}`;
}

export function startProgress(
  system: LocalSystem,
  write: (line: string) => void,
  everyMs = PROGRESS_EVERY_MS,
): Progress {
  const started = Date.now();
  const dynamodb = new DynamoDBClient({ endpoint: system.aws.url, region: system.aws.region });
  const state: State = openState(dynamodb, system.wiring.tableName, { now: () => system.aws.clock.now() });
  let phase = 'starting';
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const [dirty, counters, errors] = await Promise.all([
        state.queue.listDirty(),
        system.counters(),
        state.errors.list(system.clusterName),
      ]);
      const invocations = Object.entries(counters.invocations)
        .map(([name, count]) => `${name} ${count}`)
        .join(', ');
      write(
        `[${Math.round((Date.now() - started) / 1000)}s] ${phase}: ${dirty.length} key(s) dirty; invocations ${invocations || 'none'}; ${counters.failedInvocations} failed; ${errors.length} recorded error(s)`,
      );
    } catch (error) {
      write(`progress unavailable: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return {
    phase(name) {
      phase = name;
    },
    async unsettled(budgetMs) {
      const now = system.aws.clock.now();
      const [dirty, errors] = await Promise.all([
        state.queue.listDirty(),
        state.errors.list(system.clusterName),
      ]);
      const lines = dirty.map((entry) => describeUnsettled(entry, now, errors));
      for (const [index, entry] of dirty.entries())
        await state.errors.record({
          cluster: system.clusterName,
          kind: 'ReconcileKey',
          name: entry.key,
          message: `not settled within ${Math.round(budgetMs / 1000)} s (${phase}): ${lines[index]}`,
          key: STUCK_KEY_RECORDER,
        });
      return lines;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      dynamodb.destroy();
    },
  };
}

/**
 * Driving a cluster on a virtual clock: advance in steps until nothing is pending, letting the
 * sink's promises run between steps. Tests and scenarios use it instead of sleeping.
 */
import type { VirtualClock } from '../aws/context.js';
import type { SimulatedCluster } from './cluster.js';

export interface AdvanceOptions {
  /** clock time per step (default 100 ms) */
  stepMs?: number;
  /** give up after this much clock time (default 10 minutes) */
  maxMs?: number;
}

/** Advances `clock` until `cluster.settled()`; returns the clock time it took. */
export async function advanceUntilSettled(
  cluster: SimulatedCluster,
  clock: VirtualClock,
  { stepMs = 100, maxMs = 600_000 }: AdvanceOptions = {},
): Promise<number> {
  let elapsed = 0;
  await flushMicrotasks();
  while (!cluster.settled()) {
    if (elapsed >= maxMs)
      throw new Error(`cluster ${cluster.name} did not settle within ${maxMs} ms of clock time`);
    clock.advance(stepMs);
    elapsed += stepMs;
    await flushMicrotasks();
  }
  return elapsed;
}

/** Advances `clock` by `ms` in steps, letting promises run in between (sinks are async). */
export async function advanceBy(clock: VirtualClock, ms: number, stepMs = 100): Promise<void> {
  // Always one step, so advanceBy(clock, 0) still fires what is due now.
  let done = 0;
  do {
    const step = Math.min(stepMs, ms - done);
    clock.advance(step);
    done += step;
    await flushMicrotasks();
  } while (done < ms);
}

async function flushMicrotasks(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

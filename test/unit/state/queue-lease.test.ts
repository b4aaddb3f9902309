import { describe, expect, it } from 'vitest';
import { stateOver, workQueue } from '../../../shared/state/index.js';
import { memoryStore } from '../../support/memory-store.js';

const KEY = 'tg#arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/web/1';
const LEASE_SECONDS = 90;

/**
 * A pass that outlives its lease stops at its fence (the targets pass returns `lease-lost`
 * without writing). Nobody took the key over, so the owner attribute is still ours: the
 * complete() must not mark the key done on an expired lease, or the work is lost until the
 * next event (the 1,000-pod benchmark's target groups that were never filled).
 */
describe('workQueue: a pass whose lease expired does not mark its key done', () => {
  it.each([
    { name: 'the pass outlives its lease', overrun: true, passes: 2 },
    { name: 'the pass ends inside its lease', overrun: false, passes: 1 },
  ])('$name', async ({ overrun, passes }) => {
    let now = 1_800_000_000_000;
    const state = stateOver(memoryStore(), { now: () => now });
    await state.queue.bump(KEY);
    const seen: number[] = [];
    const drive = await workQueue(state.queue, KEY, 'me', LEASE_SECONDS, async (lease) => {
      seen.push(lease.gen);
      // only the first pass is slow; the retry inside a fresh lease finishes
      if (overrun && seen.length === 1) now += (LEASE_SECONDS + 1) * 1000;
    });
    expect(drive.passes).toBe(passes);
    const entry = await state.queue.get(KEY);
    expect(entry?.doneGen).toBe(entry?.gen);
    expect(entry?.leaseOwner).toBeUndefined();
  });
});

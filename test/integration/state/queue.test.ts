import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryableError } from '../../../shared/errors.js';
import { openState, type State, workQueue } from '../../../shared/state/index.js';
import { startDynalite } from './dynalite-helper.js';

let env: Awaited<ReturnType<typeof startDynalite>>;
let state: State;
let clock = 1_000_000;

beforeAll(async () => {
  env = await startDynalite();
  state = openState(env.dynamodb, env.tableName, { now: () => clock });
});
afterAll(async () => env.close());

describe('work queue', () => {
  it('bump is an atomic counter', async () => {
    await Promise.all(Array.from({ length: 20 }, () => state.queue.bump('tg#count')));
    expect((await state.queue.get('tg#count'))?.gen).toBe(20);
  });

  it('a held lease refuses others until it expires, and is re-entrant for its owner', async () => {
    await state.queue.bump('tg#lease');
    expect(await state.queue.tryLease('tg#lease', 'a', 10)).toMatchObject({ gen: 1, doneGen: 0 });
    expect(await state.queue.tryLease('tg#lease', 'b', 10)).toBeUndefined();
    expect(await state.queue.tryLease('tg#lease', 'a', 10)).toBeDefined();
    clock += 11_000;
    expect(await state.queue.listExpiredLeases('tg#lease')).toHaveLength(1);
    expect(await state.queue.tryLease('tg#lease', 'b', 10)).toBeDefined();
    // a's complete fails: it no longer holds the lease
    expect(await state.queue.complete('tg#lease', 'a', 1)).toBe(false);
    expect(await state.queue.complete('tg#lease', 'b', 1)).toBe(true);
    expect(await state.queue.listDirty('tg#lease')).toEqual([]);
  });

  it('complete fails when an event bumped gen meanwhile, so the holder reconciles again', async () => {
    await state.queue.bump('tg#again');
    const lease = await state.queue.tryLease('tg#again', 'a', 10);
    await state.queue.bump('tg#again');
    expect(await state.queue.complete('tg#again', 'a', lease!.gen)).toBe(false);
    expect(await state.queue.listDirty('tg#again')).toHaveLength(1);
  });

  it('the driver coalesces events that arrive during a pass into the next pass', async () => {
    const key = 'tg#driver';
    await state.queue.bump(key);
    let passes = 0;
    const result = await workQueue(state.queue, key, 'me', 30, async () => {
      passes += 1;
      if (passes === 1) {
        // three events arrive while we reconcile; their invocations find the lease held
        for (let i = 0; i < 3; i += 1) {
          await state.queue.bump(key);
          expect(await state.queue.tryLease(key, `other-${i}`, 30)).toBeUndefined();
        }
      }
    });
    expect(result).toEqual({ leased: true, passes: 2, eventsCoalesced: 4 });
    expect(await state.queue.get(key)).toMatchObject({ gen: 4, doneGen: 4 });
    expect((await state.queue.get(key))?.leaseOwner).toBeUndefined();
  });

  it('settles while a burst goes on: events during the wait join the next pass; a quiet interval ends it', async () => {
    const key = 'tg#settle';
    await state.queue.bump(key);
    let passes = 0;
    let sleeps = 0;
    const sleep = async () => {
      sleeps += 1;
      // the burst keeps bumping for the first two quiet intervals, then stops
      if (sleeps <= 2) await state.queue.bump(key);
    };
    const result = await workQueue(
      state.queue,
      key,
      'me',
      30,
      async () => {
        passes += 1;
        if (passes === 1) await state.queue.bump(key);
      },
      { settleMs: 5000, quietMs: 500, sleep },
    );
    expect(sleeps).toBe(3);
    expect(result).toEqual({ leased: true, passes: 2, eventsCoalesced: 4 });
  });

  it('an invocation that sees the lease held in its bump exits without a write', async () => {
    const key = 'tg#held';
    await state.queue.bump(key);
    await state.queue.tryLease(key, 'holder', 30);
    const bumped = await state.queue.bump(key);
    const before = state.store.capacity.writeUnits;
    const result = await workQueue(state.queue, key, 'other', 30, async () => undefined, { bumped });
    expect(result.leased).toBe(false);
    expect(state.store.capacity.writeUnits).toBe(before);
  });

  it('a failing pass releases the lease and leaves the key dirty', async () => {
    const key = 'tg#fails';
    await state.queue.bump(key);
    await expect(
      workQueue(state.queue, key, 'me', 30, async () => {
        throw new RetryableError('throttled');
      }),
    ).rejects.toThrow('throttled');
    const entry = await state.queue.get(key);
    expect(entry).toMatchObject({ gen: 1, doneGen: 0 });
    expect(entry?.leaseOwner).toBeUndefined();
    expect((await state.queue.listDirty()).map((e) => e.key)).toContain(key);
  });

  it('8 concurrent drivers on one key: every event is covered by a pass that started after it', async () => {
    const key = 'tg#concurrent';
    let reconciled = 0;
    const results = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        await state.queue.bump(key);
        return workQueue(state.queue, key, `inv-${i}`, 30, async (lease) => {
          reconciled = Math.max(reconciled, lease.gen);
          await new Promise((resolve) => setTimeout(resolve, 5));
        });
      }),
    );
    const passes = results.reduce((sum, r) => sum + r.passes, 0);
    expect(passes).toBeLessThan(8);
    expect(await state.queue.get(key)).toMatchObject({ gen: 8, doneGen: 8 });
    expect(reconciled).toBe(8);
  });
});

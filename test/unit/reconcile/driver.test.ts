import { describe, expect, it } from 'vitest';
import { InvalidInputError, RetryableError, SlbcError } from '../../../shared/errors.js';
import { driveKeys, routeOrReject } from '../../../shared/reconcile/driver.js';
import { changeEvent, memoryState } from './fixtures.js';

function options(state = memoryState(), extra: Partial<Parameters<typeof driveKeys>[1]> = {}) {
  let owners = 0;
  return {
    queue: state.queue,
    newOwner: () => `owner-${++owners}`,
    leaseSeconds: 60,
    what: 'test',
    ...extra,
  };
}

describe('driveKeys', () => {
  it('bumps and works every key once, and leaves it done', async () => {
    const state = memoryState();
    const worked: string[] = [];
    const drives = await driveKeys(['a', 'b'], options(state), async (key) => {
      worked.push(key);
    });
    expect(worked).toEqual(['a', 'b']);
    expect(drives.map((drive) => [drive.leased, drive.passes])).toEqual([
      [true, 1],
      [true, 1],
    ]);
    expect(await state.queue.listDirty()).toEqual([]);
  });

  it('a retryable failure lets the next key run, then is thrown; the key stays dirty', async () => {
    const state = memoryState();
    const worked: string[] = [];
    const run = driveKeys(['a', 'b'], options(state), async (key) => {
      worked.push(key);
      if (key === 'a') throw new RetryableError('throttled');
    });
    await expect(run).rejects.toThrow('throttled');
    expect(worked).toEqual(['a', 'b']);
    expect((await state.queue.listDirty()).map((entry) => entry.key)).toEqual(['a']);
  });

  it.each([
    {
      name: 'absorbed by onPermanent: the key settles',
      absorb: true,
      thrown: undefined,
      worked: ['a', 'b'],
      dirty: [],
    },
    {
      name: 'thrown at once otherwise: the key stays dirty',
      absorb: false,
      thrown: 'refused',
      worked: ['a'],
      dirty: ['a'],
    },
  ])('a permanent failure: $name', async ({ absorb, thrown, worked: expected, dirty }) => {
    const worked: string[] = [];
    const seen: string[] = [];
    const state = memoryState();
    const run = driveKeys(
      ['a', 'b'],
      options(state, {
        onPermanent: async (key) => {
          seen.push(key);
          return absorb;
        },
      }),
      async (key) => {
        worked.push(key);
        if (key === 'a') throw new SlbcError('refused');
      },
    );
    if (thrown === undefined) await run;
    else await expect(run).rejects.toThrow(thrown);
    expect(worked).toEqual(expected);
    expect(seen).toEqual(['a']);
    expect((await state.queue.listDirty()).map((entry) => entry.key)).toEqual(dirty);
    // the lease is given up either way
    expect((await state.queue.get('a'))?.leaseOwner).toBeUndefined();
  });

  it('a retryable failure never reaches onPermanent', async () => {
    const seen: string[] = [];
    const run = driveKeys(
      ['a'],
      options(memoryState(), {
        onPermanent: async (key) => {
          seen.push(key);
          return true;
        },
      }),
      async () => {
        throw new RetryableError('throttled');
      },
    );
    await expect(run).rejects.toThrow('throttled');
    expect(seen).toEqual([]);
  });

  it('a key whose lease another owner holds is not worked', async () => {
    const state = memoryState();
    await state.queue.bump('a');
    await state.queue.tryLease('a', 'someone-else', 60);
    let worked = 0;
    const [drive] = await driveKeys(['a'], options(state), async () => {
      worked += 1;
    });
    expect([drive?.leased, worked]).toEqual([false, 0]);
  });
});

describe('driveKeys for a redelivered event (onlyIfDirty)', () => {
  it.each([
    {
      name: 'a key left dirty by a failed attempt is worked, not bumped',
      failFirst: true,
      worked: 1,
      gen: 1,
    },
    { name: 'a settled key is not worked', failFirst: false, worked: 0, gen: 1 },
  ])('$name', async ({ failFirst, worked: expected, gen }) => {
    const state = memoryState();
    const first = driveKeys(['a'], options(state), async () => {
      if (failFirst) throw new RetryableError('throttled');
    });
    if (failFirst) await expect(first).rejects.toThrow('throttled');
    else await first;
    let worked = 0;
    const [drive] = await driveKeys(['a'], options(state, { onlyIfDirty: true }), async () => {
      worked += 1;
    });
    expect([worked, drive?.passes]).toEqual([expected, expected]);
    const entry = await state.queue.get('a');
    expect([entry?.gen, entry?.doneGen]).toEqual([gen, gen]);
  });

  it('a key never bumped is not worked and not created', async () => {
    const state = memoryState();
    let worked = 0;
    await driveKeys(['never'], options(state, { onlyIfDirty: true }), async () => {
      worked += 1;
    });
    expect([worked, await state.queue.get('never')]).toEqual([0, undefined]);
  });
});

describe('routeOrReject', () => {
  it('records bad input against its subject and counts it', async () => {
    const state = memoryState();
    let rejected = 0;
    const event = changeEvent('Service', { metadata: { namespace: 'ns', name: 'web' } });
    const outcome = await routeOrReject(
      event,
      { errors: state.errors, key: 'stacks', onRejected: () => rejected++ },
      () => {
        throw new InvalidInputError('field detail.kind: bad', {
          subject: { kind: 'Event', name: event.id, field: 'detail.kind' },
        });
      },
    );
    expect('rejected' in outcome).toBe(true);
    expect(rejected).toBe(1);
    const recorded = await state.errors.list();
    expect(recorded.map((error) => [error.cluster, error.name, error.field, error.key])).toEqual([
      ['demo', event.id, 'detail.kind', 'stacks'],
    ]);
  });

  it('anything else propagates', async () => {
    const state = memoryState();
    const event = changeEvent('Service', { metadata: { namespace: 'ns', name: 'web' } });
    const run = routeOrReject(event, { errors: state.errors, key: 'stacks', onRejected: () => {} }, () => {
      throw new RetryableError('later');
    });
    await expect(run).rejects.toThrow('later');
  });
});

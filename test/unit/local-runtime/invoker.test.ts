import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../infra/local/aws/index.js';
import { AsyncInvoker } from '../../../infra/local/runtime/invoker.js';

/** a clock on the wall clock: the invoker only reads it for retries, which these tests do not reach */
const wallClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

const settings = { maximumRetryAttempts: 0, maximumEventAgeSeconds: 3600 };

function invoker(concurrency: number) {
  return new AsyncInvoker({
    clock: wallClock,
    crashRate: 0,
    random: Math.random,
    onLog: () => {},
    concurrency,
  });
}

/** a promise and the function that resolves it */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AsyncInvoker: at most `concurrency` attempts at once, as the account quota allows', () => {
  it('queues the rest as events and starts them in order as slots free up', async () => {
    const runtime = invoker(2);
    const gates = new Map<number, ReturnType<typeof gate>>();
    const started: number[] = [];
    runtime.register(
      'targets',
      async (event) => {
        const n = event as number;
        started.push(n);
        const g = gate();
        gates.set(n, g);
        await g.opened;
      },
      settings,
    );
    for (const n of [1, 2, 3, 4, 5]) runtime.enqueue('targets', n);
    await tick();
    expect(started).toEqual([1, 2]);
    expect(runtime.load).toEqual({ running: 2, queued: 3 });
    expect(runtime.inFlight).toBe(5);

    gates.get(2)?.open();
    await tick();
    expect(started).toEqual([1, 2, 3]);
    expect(runtime.load).toEqual({ running: 2, queued: 2 });

    for (const n of [1, 3, 4, 5]) {
      await tick();
      gates.get(n)?.open();
    }
    await runtime.stop();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(runtime.invocations['targets']).toBe(5);
    expect(runtime.load).toEqual({ running: 0, queued: 0 });
  });

  it('shares the limit across functions', async () => {
    const runtime = invoker(2);
    const hold = gate();
    const started: string[] = [];
    for (const name of ['targets', 'stacks'])
      runtime.register(
        name,
        async () => {
          started.push(name);
          await hold.opened;
        },
        settings,
      );
    const runs = [runtime.invoke('targets', {}), runtime.invoke('targets', {}), runtime.invoke('stacks', {})];
    await tick();
    expect(started).toEqual(['targets', 'targets']);
    expect(runtime.load).toEqual({ running: 2, queued: 1 });
    hold.open();
    expect(await Promise.all(runs)).toEqual([true, true, true]);
    expect(started).toEqual(['targets', 'targets', 'stacks']);
  });

  it('frees the slot of an attempt that failed', async () => {
    const runtime = invoker(1);
    const started: number[] = [];
    runtime.register(
      'targets',
      async (event) => {
        started.push(event as number);
        if (event === 1) throw new Error('refused');
      },
      settings,
    );
    expect(await Promise.all([runtime.invoke('targets', 1), runtime.invoke('targets', 2)])).toEqual([
      false,
      true,
    ]);
    expect(started).toEqual([1, 2]);
    expect(runtime.failed().map((failure) => failure.error)).toEqual(['Error: refused']);
    expect(runtime.load).toEqual({ running: 0, queued: 0 });
  });

  it('stop abandons attempts still waiting for a slot', async () => {
    const runtime = invoker(1);
    const hold = gate();
    const started: number[] = [];
    runtime.register(
      'targets',
      async (event) => {
        started.push(event as number);
        await hold.opened;
      },
      settings,
    );
    const outcomes = [runtime.invoke('targets', 1), runtime.invoke('targets', 2)];
    await tick();
    const stopping = runtime.stop();
    hold.open();
    await stopping;
    expect(started).toEqual([1]);
    expect(await Promise.all(outcomes)).toEqual([true, false]);
  });
});

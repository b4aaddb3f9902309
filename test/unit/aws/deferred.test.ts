import { describe, expect, it } from 'vitest';
import { deferredPort, once } from '../../../shared/aws/deferred.js';

interface Port {
  read(id: string): Promise<string>;
  write(id: string, value: number): Promise<number>;
}

/** A loader that counts its loads and can be told to fail the next one. */
function loader() {
  const calls: string[] = [];
  const state = { loads: 0, failNext: false };
  const load = async (): Promise<Port> => {
    state.loads += 1;
    if (state.failNext) {
      state.failNext = false;
      throw new Error('import failed');
    }
    const generation = state.loads;
    return {
      async read(id) {
        calls.push(`read ${id}`);
        return `${id}@${generation}`;
      },
      async write(id, value) {
        calls.push(`write ${id}=${value}`);
        return value * 2;
      },
    };
  };
  return { load, calls, state };
}

describe('deferredPort', () => {
  it('loads nothing until a method is called', () => {
    const { load, state } = loader();
    const port = deferredPort<Port>(load, { read: true, write: true });
    expect(state.loads).toBe(0);
    expect(Object.keys(port).sort()).toEqual(['read', 'write']);
  });

  it('loads once on the first call, passes the arguments through and returns the result', async () => {
    const { load, calls, state } = loader();
    const port = deferredPort<Port>(load, { read: true, write: true });
    const [first, second] = await Promise.all([port.read('a'), port.write('b', 21)]);
    expect(first).toBe('a@1');
    expect(second).toBe(42);
    expect(await port.read('c')).toBe('c@1');
    expect(state.loads).toBe(1);
    expect(calls).toEqual(['read a', 'write b=21', 'read c']);
  });

  it("passes the method's rejection through", async () => {
    const port = deferredPort<Port>(
      async () => ({
        read: async () => Promise.reject(new Error('NotFound: vpc-1')),
        write: async () => 0,
      }),
      { read: true, write: true },
    );
    await expect(port.read('vpc-1')).rejects.toThrow('NotFound: vpc-1');
  });

  it('fails the calls of a failed load, and loads again on the next call', async () => {
    const { load, state } = loader();
    state.failNext = true;
    const port = deferredPort<Port>(load, { read: true, write: true });
    await expect(port.read('a')).rejects.toThrow('import failed');
    expect(await port.read('a')).toBe('a@2');
    expect(state.loads).toBe(2);
  });
});

describe('once', () => {
  it('shares one load between concurrent callers', async () => {
    let loads = 0;
    const get = once(async () => {
      loads += 1;
      return { loads };
    });
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
  });
});

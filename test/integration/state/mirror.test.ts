import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../shared/k8s/objects.js';
import { openState, type State } from '../../../shared/state/index.js';
import { startDynalite } from './dynalite-helper.js';

let env: Awaited<ReturnType<typeof startDynalite>>;
let state: State;
let clock = Date.parse('2025-01-01T00:00:00Z');

beforeAll(async () => {
  env = await startDynalite();
  state = openState(env.dynamodb, env.tableName, { now: () => clock, historyDays: 1 });
});
afterAll(async () => env.close());

const at = (second: number) => ({
  observedAt: `2025-01-01T00:00:${String(second).padStart(2, '0')}.000000Z`,
  auditId: `a${second}`,
});

function pod(name: string, uid: string, rv: string, extra: Partial<Pod> = {}): Pod {
  return {
    metadata: { name, namespace: 'web', uid, resourceVersion: rv, labels: { app: 'web' } },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080 }] }],
    },
    status: { phase: 'Running', podIP: '10.0.1.5' },
    ...extra,
  };
}

describe('mirror: conditional on resourceVersion and uid', () => {
  it('applies a create, refuses the same and an older version, accepts a newer one', async () => {
    expect((await state.mirror.upsertObject('c1', 'Pod', pod('p1', 'u1', '10'), at(1))).applied).toBe(true);
    const duplicate = await state.mirror.upsertObject('c1', 'Pod', pod('p1', 'u1', '10'), at(1));
    expect(duplicate).toMatchObject({ applied: false, outcome: 'duplicate' });
    // '9' < '10' numerically although not as strings
    expect((await state.mirror.upsertObject('c1', 'Pod', pod('p1', 'u1', '9'), at(2))).applied).toBe(false);
    const newer = await state.mirror.upsertObject(
      'c1',
      'Pod',
      pod('p1', 'u1', '11', { status: { podIP: '10.0.1.6' } }),
      at(3),
    );
    expect(newer.applied).toBe(true);
    expect(newer.before?.status?.podIP).toBe('10.0.1.5');
    expect((await state.mirror.getObject('c1', 'Pod', 'web', 'p1'))?.status?.podIP).toBe('10.0.1.6');
  });

  it('trims fields the schemas do not list', async () => {
    const raw = { ...pod('trim', 'ut', '5'), spec: { nodeName: 'n', secretStuff: 'x' }, extra: 1 };
    await state.mirror.upsertObject('c1', 'Pod', raw, at(1));
    const stored = (await state.mirror.getObject('c1', 'Pod', 'web', 'trim')) as Record<string, unknown>;
    expect(stored['extra']).toBeUndefined();
    expect((stored['spec'] as Record<string, unknown>)['secretStuff']).toBeUndefined();
  });

  it('rejects an object that fails its schema with the kind, name and field', async () => {
    await expect(
      state.mirror.upsertObject('c1', 'Service', { metadata: { name: 's', namespace: 'web' } }, at(1)),
    ).rejects.toThrow(/Service web\/s: field spec/);
  });

  it('leaves a tombstone that refuses a late create and is revived by a newer uid', async () => {
    await state.mirror.upsertObject('c1', 'Pod', pod('p2', 'u2', '20'), at(1));
    const deleted = await state.mirror.deleteObject(
      { cluster: 'c1', kind: 'Pod', namespace: 'web', name: 'p2', uid: 'u2', resourceVersion: '25' },
      at(5),
    );
    expect(deleted).toMatchObject({ applied: true, outcome: 'deleted' });
    expect(deleted.after).toBeUndefined();
    expect(await state.mirror.lookup('c1', 'Pod', 'web', 'p2')).toEqual({ state: 'deleted' });
    // the create, delivered late
    expect((await state.mirror.upsertObject('c1', 'Pod', pod('p2', 'u2', '20'), at(1))).applied).toBe(false);
    const revived = await state.mirror.upsertObject('c1', 'Pod', pod('p2', 'u3', '30'), at(9));
    expect(revived).toMatchObject({ applied: true, outcome: 'revived' });
    expect((await state.mirror.getObject('c1', 'Pod', 'web', 'p2'))?.metadata.uid).toBe('u3');
  });

  it('tombstones expire on read after the retention', async () => {
    await state.mirror.deleteObject(
      { cluster: 'c1', kind: 'Service', namespace: 'web', name: 'gone', resourceVersion: '3' },
      at(1),
    );
    expect(await state.mirror.lookup('c1', 'Service', 'web', 'gone')).toEqual({ state: 'deleted' });
    clock += 2 * 86_400_000;
    expect(await state.mirror.lookup('c1', 'Service', 'web', 'gone')).toEqual({ state: 'unknown' });
    clock -= 2 * 86_400_000;
  });

  it('merges status patches by condition type, in observedAt order, and ignores a late one', async () => {
    await state.mirror.upsertObject('c1', 'Pod', pod('p3', 'u4', '40'), at(1));
    const ready = {
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'ContainersReady', status: 'True' },
        ],
      },
    };
    const notReady = { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'x' }] } };
    const ref = { cluster: 'c1', namespace: 'web', name: 'p3', uid: 'u4' };
    expect((await state.mirror.patchPodStatus(ref, notReady, at(3))).applied).toBe(true);
    expect((await state.mirror.patchPodStatus(ref, ready, at(2))).outcome).toBe('stale');
    expect((await state.mirror.patchPodStatus(ref, ready, at(4))).applied).toBe(true);
    const stored = await state.mirror.getObject('c1', 'Pod', 'web', 'p3');
    expect(stored?.status?.conditions).toEqual([
      { type: 'Ready', status: 'True' },
      { type: 'ContainersReady', status: 'True' },
    ]);
    // a replay of the same patch writes nothing
    const before = state.store.capacity.writeUnits;
    expect((await state.mirror.patchPodStatus(ref, ready, at(4))).applied).toBe(false);
    expect(state.store.capacity.writeUnits).toBe(before);
  });

  it('keeps a patch for a pod not yet mirrored and applies it when the pod arrives', async () => {
    const ref = { cluster: 'c1', namespace: 'web', name: 'p4', uid: 'u5' };
    const pending = await state.mirror.patchPodStatus(
      ref,
      { status: { podIP: '10.0.9.9', conditions: [{ type: 'Ready', status: 'True' }] } },
      at(5),
    );
    expect(pending).toMatchObject({ applied: true, outcome: 'pending' });
    expect(await state.mirror.getObject('c1', 'Pod', 'web', 'p4')).toBeUndefined();
    expect(await state.mirror.listObjects('c1', 'Pod', 'web')).not.toContainEqual(
      expect.objectContaining({ metadata: expect.objectContaining({ name: 'p4' }) }),
    );
    const created = await state.mirror.upsertObject(
      'c1',
      'Pod',
      pod('p4', 'u5', '50', { status: { phase: 'Pending' } }),
      at(1),
    );
    expect(created.after?.status).toMatchObject({
      phase: 'Pending',
      podIP: '10.0.9.9',
      conditions: [{ type: 'Ready', status: 'True' }],
    });
  });

  it('does not apply a pending patch of another uid', async () => {
    const ref = { cluster: 'c1', namespace: 'web', name: 'p5', uid: 'other' };
    await state.mirror.patchPodStatus(ref, { status: { podIP: '10.0.7.7' } }, at(5));
    const created = await state.mirror.upsertObject('c1', 'Pod', pod('p5', 'u6', '60'), at(1));
    expect(created.after?.status?.podIP).toBe('10.0.1.5');
  });

  it('stores a 100-address Endpoints in one write unit, addresses intact, targetRef.uid dropped', async () => {
    const addresses = Array.from({ length: 100 }, (_, i) => ({
      ip: `10.0.16.${i + 1}`,
      nodeName: 'node-1',
      targetRef: {
        kind: 'Pod',
        namespace: 'web',
        name: `web-${randomBytes(3).toString('hex')}`,
        uid: randomBytes(16).toString('hex'),
      },
    }));
    const endpoints = {
      metadata: { name: 'big', namespace: 'web', resourceVersion: '77' },
      subsets: [{ addresses, ports: [{ name: 'http', port: 8080 }] }],
    };
    const before = state.store.capacity.writeUnits;
    expect((await state.mirror.upsertObject('c1', 'Endpoints', endpoints, at(1))).applied).toBe(true);
    expect(state.store.capacity.writeUnits - before).toBe(1);
    const stored = await state.mirror.getObject('c1', 'Endpoints', 'web', 'big');
    expect(stored?.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(addresses.map((a) => a.ip));
    expect(stored?.subsets?.[0]?.addresses?.[0]?.targetRef).toEqual({
      kind: 'Pod',
      namespace: 'web',
      name: addresses[0]?.targetRef.name,
    });
  });

  it('lists objects by kind and namespace across pages', async () => {
    for (let i = 0; i < 30; i += 1) {
      const big = {
        ...pod(`many-${i}`, `m${i}`, String(100 + i)),
        metadata: {
          name: `many-${i}`,
          namespace: 'bulk',
          uid: `m${i}`,
          resourceVersion: String(100 + i),
          annotations: { pad: randomBytes(30_000).toString('hex') },
        },
      };
      await state.mirror.upsertObject('c1', 'Pod', big, at(1));
    }
    expect(await state.mirror.listObjects('c1', 'Pod', 'bulk')).toHaveLength(30);
    expect((await state.mirror.listObjects('c1', 'Pod')).length).toBeGreaterThan(30);
  });

  it('reads named objects in BatchGetItem calls of at most 100, leaving out absent and deleted ones', async () => {
    const names = Array.from({ length: 130 }, (_, i) => `batch-${i}`);
    for (const [i, name] of names.entries()) {
      await state.mirror.upsertObject(
        'c1',
        'Pod',
        { ...pod(name, `b${i}`, '1'), metadata: { ...pod(name, `b${i}`, '1').metadata, namespace: 'batch' } },
        at(1),
      );
    }
    await state.mirror.deleteObject(
      { cluster: 'c1', kind: 'Pod', namespace: 'batch', name: 'batch-7', uid: 'b7' },
      at(2),
    );
    const calls = state.store.capacity.calls;
    const read = await state.mirror.getObjects('c1', 'Pod', 'batch', [...names, 'never-seen', 'batch-1']);
    expect(read.map((p) => p.metadata.name).sort()).toEqual(names.filter((n) => n !== 'batch-7').sort());
    expect(state.store.capacity.calls - calls).toBe(2);
  });
});

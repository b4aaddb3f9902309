import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Binding, openState, type State } from '../../../shared/state/index.js';
import { startDynalite } from './dynalite-helper.js';

let env: Awaited<ReturnType<typeof startDynalite>>;
let state: State;
let clock = Date.parse('2025-03-01T00:00:00Z');

beforeAll(async () => {
  env = await startDynalite();
  state = openState(env.dynamodb, env.tableName, { now: () => clock, historyDays: 1 });
});
afterAll(async () => env.close());

const binding = (arn: string, service: string, extra: Partial<Binding> = {}): Binding => ({
  cluster: 'c1',
  targetGroupArn: arn,
  stackKey: 'ingress/shop',
  service: { namespace: 'web', name: service, port: 'http' },
  targetType: 'ip',
  createdBySlbc: true,
  updatedAt: '2025-03-01T00:00:00Z',
  ...extra,
});

describe('bindings', () => {
  it('is found by target group, by Service, by namespace and by cluster', async () => {
    await state.bindings.put(binding('arn:tg/a', 'front'));
    await state.bindings.put(
      binding('arn:tg/b', 'front', { service: { namespace: 'web', name: 'front', port: 443 } }),
    );
    await state.bindings.put(binding('arn:tg/c', 'frontend'));
    await state.bindings.put(
      binding('arn:tg/d', 'db', {
        targetType: 'instance',
        service: { namespace: 'data', name: 'db', port: 5432 },
      }),
    );
    expect((await state.bindings.get('arn:tg/b'))?.service.port).toBe(443);
    expect(
      (await state.bindings.forService('c1', 'web', 'front')).map((b) => b.targetGroupArn).sort(),
    ).toEqual(['arn:tg/a', 'arn:tg/b']);
    expect(await state.bindings.forNamespace('c1', 'web')).toHaveLength(3);
    expect((await state.bindings.forNodes('c1')).map((b) => b.targetGroupArn)).toEqual(['arn:tg/d']);
    expect(await state.bindings.list('c2')).toEqual([]);
  });

  it('moves its index entry when re-pointed at another Service, and deletes cleanly', async () => {
    await state.bindings.put(binding('arn:tg/move', 'old'));
    await state.bindings.put(binding('arn:tg/move', 'new'));
    expect(await state.bindings.forService('c1', 'web', 'old')).toEqual([]);
    expect(await state.bindings.forService('c1', 'web', 'new')).toHaveLength(1);
    await state.bindings.delete('arn:tg/move');
    expect(await state.bindings.get('arn:tg/move')).toBeUndefined();
    expect(await state.bindings.forService('c1', 'web', 'new')).toEqual([]);
  });

  it('records and clears lastError', async () => {
    await state.bindings.setLastError('arn:tg/a', 'TargetGroupNotFound');
    expect(
      (await state.bindings.forService('c1', 'web', 'front')).find((b) => b.targetGroupArn === 'arn:tg/a')
        ?.lastError,
    ).toBe('TargetGroupNotFound');
    await state.bindings.setLastError('arn:tg/a', undefined);
    expect((await state.bindings.get('arn:tg/a'))?.lastError).toBeUndefined();
  });

  it('refuses a binding with a bad field, naming it', async () => {
    await expect(
      state.bindings.put(binding('arn:tg/bad', 'x', { targetType: 'lambda' as 'ip' })),
    ).rejects.toThrow(/arn:tg\/bad: field targetType/);
  });
});

describe('ownership', () => {
  it('is unknown until first recorded, then lists recorded targets', async () => {
    expect(await state.ownership.list('arn:tg/o')).toEqual({ known: false, targets: new Set(), rev: 0 });
    const targets = Array.from({ length: 1000 }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}:8080`);
    const before = state.store.capacity.writeUnits;
    await state.ownership.record('arn:tg/o', targets);
    // a thousand targets are one gzipped item: a few write units, not a thousand
    expect(state.store.capacity.writeUnits - before).toBeLessThan(10);
    const owned = await state.ownership.list('arn:tg/o');
    expect(owned.known).toBe(true);
    expect(owned.targets.size).toBe(1000);
    await state.ownership.forget('arn:tg/o', targets.slice(0, 999));
    expect(await state.ownership.list('arn:tg/o')).toMatchObject({
      known: true,
      targets: new Set(['10.0.3.249:8080']),
    });
  });

  it('a stale revision is re-read and merged, not lost', async () => {
    const stale = await state.ownership.list('arn:tg/race');
    await state.ownership.record('arn:tg/race', ['10.0.0.1:80']);
    await state.ownership.record('arn:tg/race', ['10.0.0.2:80'], stale);
    expect((await state.ownership.list('arn:tg/race')).targets).toEqual(
      new Set(['10.0.0.1:80', '10.0.0.2:80']),
    );
  });

  it('recording what is already recorded writes nothing', async () => {
    const owned = await state.ownership.list('arn:tg/o');
    const before = state.store.capacity.writeUnits;
    await state.ownership.record('arn:tg/o', ['10.0.3.249:8080'], owned);
    expect(state.store.capacity.writeUnits).toBe(before);
  });
});

describe('history, errors and status', () => {
  it('lists history newest first and drops expired entries', async () => {
    const cause = { detailType: 'Endpoints Changed', auditId: 'x1' };
    await state.history.record({
      key: 'tg#h',
      action: 'RegisterTargets',
      resource: 'arn:tg/h',
      details: ['10.0.0.1:80'],
      cause,
    });
    clock += 1000;
    await state.history.record({
      key: 'tg#h',
      action: 'DeregisterTargets',
      resource: 'arn:tg/h',
      details: ['10.0.0.1:80'],
      cause,
    });
    expect((await state.history.list('tg#h')).map((h) => h.action)).toEqual([
      'DeregisterTargets',
      'RegisterTargets',
    ]);
    clock += 2 * 86_400_000;
    expect(await state.history.list('tg#h')).toEqual([]);
  });

  it('records, lists by cluster, and clears errors', async () => {
    const ref = {
      cluster: 'c1',
      kind: 'Ingress',
      namespace: 'web',
      name: 'shop',
      key: 'stack#c1#ingress/shop',
    };
    await state.errors.record({ ...ref, field: 'metadata.annotations', message: 'bad scheme' });
    await state.errors.record({
      cluster: 'c2',
      kind: 'Service',
      namespace: 'x',
      name: 'y',
      key: 'k',
      message: 'm',
    });
    expect(await state.errors.list('c1')).toEqual([
      expect.objectContaining({ name: 'shop', message: 'bad scheme' }),
    ]);
    expect(await state.errors.list()).toHaveLength(2);
    expect(await state.errors.listForKey('c1', 'stack#c1#ingress/shop')).toHaveLength(1);
    await state.errors.clear(ref);
    expect(await state.errors.list('c1')).toEqual([]);
  });

  it('puts and lists status records', async () => {
    await state.status.put('c1', 'Ingress', 'web', 'shop', {
      hostname: 'k8s-web-shop.elb.local',
      loadBalancerArn: 'arn:lb/1',
    });
    expect(await state.status.list('c1')).toEqual([
      expect.objectContaining({ hostname: 'k8s-web-shop.elb.local' }),
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Harness, reconcileRequestEvent, startHarness } from './harness.js';
import { CLUSTER, rollingUpdate, ServiceWorld } from './scenario.js';

// each event is a dozen DynamoDB calls through the local endpoint; the machine is shared
vi.setConfig({ testTimeout: 180_000 });

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function setupBindings(): Promise<{ created: string; adopted: string }> {
  const created = await h.createTargetGroup('k8s-web-web-created');
  const adopted = await h.createTargetGroup('external-web');
  await h.bind(created, 'http', true);
  await h.bind(adopted, 80, false);
  return { created, adopted };
}

describe('targets converge on the local AWS endpoint', () => {
  it('a rolling update converges to the new pods in both target groups', async () => {
    const { created, adopted } = await setupBindings();
    const scenario = rollingUpdate(6);
    for (const event of [...scenario.setup, ...scenario.rollout]) await h.deliver(event);
    expect(await h.targets(created)).toEqual(scenario.finalTargets);
    expect(await h.targets(adopted)).toEqual(scenario.finalTargets);
    const history = await h.deps.state.history.list(`tg#${created}`);
    expect(
      history.some((entry) => entry.action.includes('RegisterTargets') && entry.cause.auditId !== undefined),
    ).toBe(true);
    expect(history.some((entry) => entry.action.includes('DeregisterTargets'))).toBe(true);
  });

  it('the same stream duplicated, shuffled, or replayed whole converges to the same targets; a replay mutates nothing', async () => {
    const { created, adopted } = await setupBindings();
    const scenario = rollingUpdate(4);
    const all = [...scenario.setup, ...scenario.rollout];
    const mixed = shuffle([...all, ...all.filter((_, i) => i % 3 === 0)], 7);
    for (const event of mixed) await h.deliver(event);
    expect(await h.targets(created)).toEqual(scenario.finalTargets);
    expect(await h.targets(adopted)).toEqual(scenario.finalTargets);

    const before = h.aws.counters.snapshot().elbv2Mutations;
    for (const event of all)
      await h.deliver({ ...event, 'replay-name': 'replay-1', id: `${event.id}-replayed` });
    expect(h.aws.counters.snapshot().elbv2Mutations - before).toBe(0);
    expect(await h.targets(created)).toEqual(scenario.finalTargets);
  });

  it('8 concurrent invocations on one binding lose no registration and coalesce into fewer passes', async () => {
    const created = await h.createTargetGroup('k8s-web-web-concurrent');
    await h.bind(created, 'http', true);
    const world = new ServiceWorld();
    world.createService();
    for (const event of world.stream.events) await h.deliver(event);
    const firstBurst = world.stream.events.length;
    for (let i = 0; i < 8; i += 1) world.startPod(world.newPod());
    const burst = world.stream.events.slice(firstBurst);
    const reconcilesBefore = h.metrics.get('TargetsReconciles') ?? 0;
    // eight invocations at once, each taking its share of the burst in order
    await Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        for (let i = lane; i < burst.length; i += 8) await h.deliver(burst[i]!);
      }),
    );
    const expected = world.readyPods.map((p) => `${p.ip}:8080`).sort();
    expect(await h.targets(created)).toEqual(expected);
    const endpointEvents = burst.filter((e) => e['detail-type'] === 'Endpoints Changed').length;
    const reconciles = (h.metrics.get('TargetsReconciles') ?? 0) - reconcilesBefore;
    expect(reconciles).toBeGreaterThan(0);
    expect(reconciles).toBeLessThan(burst.length);
    expect((await h.deps.state.queue.listDirty('tg#')).length).toBe(0);
    expect(endpointEvents).toBe(8);
  });

  it('a lost RegisterTargets answer and a crashed lease holder converge with no stray target', async () => {
    const adopted = await h.createTargetGroup('external-crash');
    await h.bind(adopted, 80, false);
    const world = new ServiceWorld();
    world.createService();
    const pod = world.newPod();
    world.startPod(pod);
    // RegisterTargets succeeds in AWS, then the process dies before any state write after it
    let crash = true;
    const crashing = {
      ...h.deps,
      elbv2: {
        ...h.deps.elbv2,
        registerTargets: async (arn: string, targets: Parameters<typeof h.deps.elbv2.registerTargets>[1]) => {
          await h.deps.elbv2.registerTargets(arn, targets);
          if (crash) throw new Error('process killed after RegisterTargets');
        },
      },
    };
    let crashed = 0;
    for (const event of world.stream.events) {
      await h.deliver(event, crashing).catch(() => {
        crashed += 1;
      });
    }
    expect(crashed).toBeGreaterThan(0);
    crash = false;
    // a real crash also leaves the lease held: simulate it, then let it expire
    const key = `tg#${adopted}`;
    await h.deps.state.queue.bump(key);
    await h.deps.state.queue.tryLease(key, 'dead-invocation', 30);
    expect(await h.targets(adopted)).toEqual([`${pod.ip}:8080`]);
    // the pod goes away: the target recorded before the lost call must be deregistered
    world.stopPod(pod);
    const stopEvents = world.stream.events.slice(-4);
    for (const event of stopEvents) await h.deliver(event);
    expect(await h.targets(adopted)).toEqual([`${pod.ip}:8080`]); // lease still held by the dead invocation
    h.advance(31_000);
    expect((await h.deps.state.queue.listExpiredLeases('tg#')).map((e) => e.key)).toContain(key);
    // resync's Reconcile Requested takes the expired lease over
    await h.deliver(reconcileRequestEvent(CLUSTER, key));
    expect(await h.targets(adopted)).toEqual([]);
  });

  it('bad input is recorded, not retried: an unknown detail version, and a target group that is gone', async () => {
    const world = new ServiceWorld();
    world.createService();
    const first = world.stream.events[0]!;
    const future = { ...first, id: 'future-1', detail: { ...first.detail, version: 2 } };
    await expect(h.deliver(future)).resolves.toEqual({ targetGroups: [], drives: [] });
    expect(await h.deps.state.errors.list('demo')).toContainEqual(
      expect.objectContaining({ kind: 'Event', name: 'future-1', field: 'detail.version' }),
    );

    const gone = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/gone/0123456789abcdef';
    await h.bind(gone, 'http', true);
    for (const event of world.stream.events) await h.deliver(event);
    const binding = await h.deps.state.bindings.get(gone);
    expect(binding?.lastError).toMatch(/TargetGroupNotFound/);
    expect(await h.deps.state.errors.list('demo')).toContainEqual(
      expect.objectContaining({ kind: 'TargetGroupBinding', name: 'web:http', key: `tg#${gone}` }),
    );
    expect((await h.deps.state.queue.listDirty('tg#')).map((e) => e.key)).not.toContain(`tg#${gone}`);
  });

  it('30% throttling on ELBv2 converges', async () => {
    const { created, adopted } = await setupBindings();
    h.aws.faults.add({ match: 'elbv2:*', throttleRate: 0.3 });
    const scenario = rollingUpdate(3);
    for (const event of [...scenario.setup, ...scenario.rollout]) await h.deliver(event);
    h.aws.faults.clear();
    expect(await h.targets(created)).toEqual(scenario.finalTargets);
    expect(await h.targets(adopted)).toEqual(scenario.finalTargets);
  });
});

import { describe, expect, it } from 'vitest';
import type { ActualTarget } from '../../../../shared/plan/targets.js';
import {
  HEALTH_CACHE_MS,
  type HealthCacheEntry,
  mergeHealth,
  planHealthRead,
  readTargetHealth,
  type TargetHealthCache,
} from '../../../../shared/reconcile/targets/health-read.js';

const NOW = 1_800_000_000_000;
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/web/1';
const healthy = (id: string): ActualTarget => ({ id, port: 8080, state: 'healthy' });
const initial = (id: string): ActualTarget => ({ id, port: 8080, state: 'initial' });
const want = (...ids: string[]) => ids.map((id) => ({ id, port: 8080 }));
const entry = (targets: ActualTarget[], until = NOW + 1000): HealthCacheEntry => ({ targets, until });

describe('planHealthRead: which DescribeTargetHealth a pass needs', () => {
  it.each([
    { name: 'no earlier read', cached: undefined, wanted: want('a'), force: false, read: 'full' },
    { name: 'a resync asked', cached: entry([healthy('a')]), wanted: want('a'), force: true, read: 'full' },
    {
      name: 'the cache is past its age',
      cached: entry([healthy('a')], NOW),
      wanted: want('a'),
      force: false,
      read: 'full',
    },
    {
      name: 'a target to register',
      cached: entry([healthy('a')]),
      wanted: want('a', 'b'),
      force: false,
      read: 'full',
    },
    {
      name: 'a target to deregister (or still draining)',
      cached: entry([healthy('a'), { id: 'b', port: 8080, state: 'draining' }]),
      wanted: want('a'),
      force: false,
      read: 'full',
    },
    {
      name: 'same port, other IP',
      cached: entry([healthy('a')]),
      wanted: want('c'),
      force: false,
      read: 'full',
    },
    {
      name: 'every target healthy: no call',
      cached: entry([healthy('a'), healthy('b')]),
      wanted: want('b', 'a'),
      force: false,
      read: 'cached',
    },
    {
      name: 'some not yet healthy: only those',
      cached: entry([healthy('a'), initial('b')]),
      wanted: want('a', 'b'),
      force: false,
      read: 'partial:b:8080',
    },
  ])('$name → $read', ({ cached, wanted, force, read }) => {
    const plan = planHealthRead(cached, wanted, NOW, force);
    const got =
      plan.kind === 'partial' ? `partial:${plan.ask.map((t) => `${t.id}:${t.port}`).join(',')}` : plan.kind;
    expect(got).toBe(read);
  });

  it('mergeHealth puts the answers in place and keeps the order', () => {
    expect(mergeHealth([healthy('a'), initial('b')], [healthy('b')])).toEqual([healthy('a'), healthy('b')]);
  });
});

/** A group's health as ELBv2 answers it, recording each DescribeTargetHealth (`full` or the asked ids). */
function group(targets: ActualTarget[]) {
  const calls: string[] = [];
  return {
    calls,
    set(next: ActualTarget[]) {
      targets = next;
    },
    elbv2: {
      describeTargets: async (_arn: string, only?: readonly { id: string; port: number }[]) => {
        calls.push(only === undefined ? 'full' : only.map((t) => t.id).join(','));
        if (only === undefined) return targets;
        return only.map(
          (asked) =>
            targets.find((t) => t.id === asked.id && t.port === asked.port) ?? {
              ...asked,
              state: 'unused',
              reason: 'Target.NotRegistered',
            },
        );
      },
    } as never,
  };
}

describe('readTargetHealth: the LBC-style cache over DescribeTargetHealth', () => {
  const cause = { detailType: 'Endpoints Changed' };

  it('reads the whole group, then only the unhealthy targets, then nothing once all are healthy', async () => {
    const fake = group([healthy('a'), initial('b')]);
    const cache: TargetHealthCache = new Map();
    const deps = { elbv2: fake.elbv2, now: () => NOW, targetHealthCache: cache };
    await readTargetHealth(deps, TG, want('a', 'b'), cause);
    const second = await readTargetHealth(deps, TG, want('a', 'b'), cause);
    expect(second.find((t) => t.id === 'b')?.state).toBe('initial');
    fake.set([healthy('a'), healthy('b')]);
    const third = await readTargetHealth(deps, TG, want('a', 'b'), cause);
    expect(third.map((t) => t.state)).toEqual(['healthy', 'healthy']);
    await readTargetHealth(deps, TG, want('a', 'b'), cause);
    expect(fake.calls).toEqual(['full', 'b', 'b']);
    expect(cache.get(TG)?.until).toBe(NOW + HEALTH_CACHE_MS);
  });

  it('reads the whole group again when an asked target is no longer registered', async () => {
    const fake = group([healthy('a'), initial('b')]);
    const deps = { elbv2: fake.elbv2, now: () => NOW, targetHealthCache: new Map() };
    await readTargetHealth(deps, TG, want('a', 'b'), cause);
    fake.set([healthy('a')]);
    const after = await readTargetHealth(deps, TG, want('a', 'b'), cause);
    expect(fake.calls).toEqual(['full', 'b', 'full']);
    expect(after.map((t) => t.id)).toEqual(['a']);
  });

  it('reads the whole group on a Reconcile Requested, and every pass without a cache', async () => {
    const fake = group([healthy('a')]);
    const cached = { elbv2: fake.elbv2, now: () => NOW, targetHealthCache: new Map() };
    await readTargetHealth(cached, TG, want('a'), cause);
    await readTargetHealth(cached, TG, want('a'), { detailType: 'Reconcile Requested' });
    const uncached = { elbv2: fake.elbv2, now: () => NOW };
    await readTargetHealth(uncached, TG, want('a'), cause);
    await readTargetHealth(uncached, TG, want('a'), cause);
    expect(fake.calls).toEqual(['full', 'full', 'full', 'full']);
  });
});

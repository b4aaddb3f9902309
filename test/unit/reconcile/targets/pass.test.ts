import { describe, expect, it } from 'vitest';
import type { ActualTarget, TargetDescription } from '../../../../shared/plan/targets.js';
import type { TargetsDeps } from '../../../../shared/reconcile/targets/ports.js';
import { processEvent } from '../../../../shared/reconcile/targets/process.js';
import { CLUSTER, changeEvent, countingMetrics, memoryState, quietLogger } from '../fixtures.js';

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/web/1';

/** An ELBv2 that holds one target group's targets and records the calls. */
function fakeElbv2(initial: ActualTarget[]) {
  const targets = new Map(initial.map((target) => [`${target.id}:${target.port}`, target]));
  const calls: string[] = [];
  return {
    calls,
    targets: () => [...targets.keys()].sort(),
    port: {
      describeTargetGroup: async (arn: string) => ({ arn, vpcId: 'vpc-1', targetType: 'ip' }),
      describeTargets: async () => [...targets.values()],
      registerTargets: async (_arn: string, list: TargetDescription[]) => {
        calls.push(`register ${list.map((t) => t.Id).join(',')}`);
        for (const t of list) targets.set(`${t.Id}:${t.Port}`, { id: t.Id, port: t.Port, state: 'initial' });
      },
      deregisterTargets: async (_arn: string, list: TargetDescription[]) => {
        calls.push(`deregister ${list.map((t) => t.Id).join(',')}`);
        for (const t of list) targets.delete(`${t.Id}:${t.Port}`);
      },
    },
  };
}

function endpoints(ips: string[]) {
  return {
    metadata: { namespace: 'shop', name: 'web' },
    subsets: [
      { addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    ],
  };
}

const service = {
  metadata: { namespace: 'shop', name: 'web' },
  spec: {
    type: 'ClusterIP',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  },
};

/** A bound target group holding `actual`, with the Endpoints (`ready`) and Service mirrored. */
async function setup(actual: ActualTarget[], ready: string[]) {
  const state = memoryState();
  const elbv2 = fakeElbv2(actual);
  const metrics = countingMetrics();
  const deps: TargetsDeps = {
    state,
    elbv2: elbv2.port,
    config: { clusters: [CLUSTER], leaseSeconds: 60 },
    now: () => 1_800_000_000_000,
    newOwner: () => 'owner',
    logger: quietLogger,
    metrics: metrics as unknown as TargetsDeps['metrics'],
    settleMs: 0,
    quietMs: 0,
    targetGroupCache: new Map(),
  };
  await state.bindings.put({
    cluster: CLUSTER,
    targetGroupArn: TG,
    stackKey: 'ingress/shop',
    service: { namespace: 'shop', name: 'web', port: 80 },
    targetType: 'ip',
    createdBySlbc: true,
    vpcCidrs: ['10.0.0.0/16'],
    updatedAt: '2027-01-15T08:00:00Z',
  });
  await processEvent(deps, changeEvent('Endpoints', endpoints(ready), 'create'));
  await processEvent(deps, changeEvent('Service', service, 'create'));
  return { deps, elbv2, metrics, state };
}

describe('targets pass over the in-memory store', () => {
  it('registers the ready endpoints first, then deregisters what left; one history entry', async () => {
    const { deps, elbv2, state } = await setup(
      [{ id: '10.0.0.9', port: 8080, state: 'healthy' }],
      ['10.0.0.9'],
    );
    expect(elbv2.calls).toEqual([]);
    const summary = await processEvent(deps, changeEvent('Endpoints', endpoints(['10.0.0.1', '10.0.0.2'])));
    expect(summary.targetGroups).toEqual([TG]);
    expect(elbv2.calls).toEqual(['register 10.0.0.1,10.0.0.2', 'deregister 10.0.0.9']);
    expect(elbv2.targets()).toEqual(['10.0.0.1:8080', '10.0.0.2:8080']);
    const history = await state.history.list(`tg#${TG}`);
    expect(history.map((entry) => entry.action)).toEqual(['RegisterTargets+DeregisterTargets']);
    expect(await state.queue.listDirty()).toEqual([]);
  });

  it('an Endpoints change that moves nothing calls nothing', async () => {
    const { deps, elbv2 } = await setup([{ id: '10.0.0.1', port: 8080, state: 'healthy' }], ['10.0.0.1']);
    elbv2.calls.length = 0;
    await processEvent(deps, changeEvent('Endpoints', endpoints(['10.0.0.1'])));
    expect(elbv2.calls).toEqual([]);
  });

  it('with the health cache on, a target registered by one pass is deregistered by the next', async () => {
    // the cache filled before a pass's own writes must not stand in for the group afterwards
    const { deps, elbv2 } = await setup([{ id: '10.0.0.1', port: 8080, state: 'healthy' }], ['10.0.0.1']);
    deps.targetHealthCache = new Map();
    await processEvent(deps, changeEvent('Endpoints', endpoints(['10.0.0.1', '10.0.0.2'])));
    await processEvent(deps, changeEvent('Endpoints', endpoints(['10.0.0.1'])));
    expect(elbv2.calls.slice(-2)).toEqual(['register 10.0.0.2', 'deregister 10.0.0.2']);
    expect(elbv2.targets()).toEqual(['10.0.0.1:8080']);
  });

  it('a bad event is recorded and counted, not thrown', async () => {
    const { deps, metrics, state } = await setup([], []);
    const event = changeEvent('Endpoints', endpoints([]));
    (event.detail as Record<string, unknown>)['kind'] = 'Secret';
    await processEvent(deps, event);
    expect(metrics.counts['TargetsEventsRejected']).toBe(1);
    expect((await state.errors.list()).map((error) => error.field)).toEqual(['detail.kind']);
  });
});

import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { RecheckMessage } from '../../../../shared/aws/recheck-queue.js';
import { SLBC_GATE } from '../../../../shared/model/readiness-gates.js';
import type { ActualTarget, TargetDescription } from '../../../../shared/plan/targets.js';
import { reconcileBinding } from '../../../../shared/reconcile/targets/pass.js';
import type { TargetsDeps } from '../../../../shared/reconcile/targets/ports.js';
import { processEvent } from '../../../../shared/reconcile/targets/process.js';
import { processRechecks } from '../../../../shared/reconcile/targets/recheck.js';
import { CLUSTER, changeEvent, countingMetrics, memoryState, quietLogger } from '../fixtures.js';

/**
 * Readiness gates, the delayed re-check and fencing through the targets pass, over the
 * in-memory store with a fake ELBv2, Kubernetes API and re-check queue that record calls.
 */
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:000000000000:targetgroup/web/1';
const NOW = 1_800_000_000_000;

function world(initial: ActualTarget[] = []) {
  const targets = new Map(initial.map((t) => [`${t.id}:${t.port}`, t]));
  const calls: string[] = [];
  const patches: { pod: string; conditions: Record<string, unknown>[] }[] = [];
  const rechecks: { message: RecheckMessage; delay: number }[] = [];
  const elbv2 = {
    describeTargetGroup: async (arn: string) => ({
      arn,
      vpcId: 'vpc-1',
      targetType: 'ip',
      healthCheckIntervalSeconds: 10,
    }),
    describeTargets: async (_arn: string, only?: readonly { id: string; port: number }[]) => {
      calls.push(only === undefined ? 'describe all' : `describe ${only.map((t) => t.id).join(',')}`);
      const all = [...targets.values()];
      return only === undefined
        ? all
        : all.filter((t) => only.some((o) => o.id === t.id && o.port === t.port));
    },
    registerTargets: async (_arn: string, list: TargetDescription[]) => {
      calls.push(`register ${list.map((t) => t.Id).join(',')}`);
      for (const t of list) targets.set(`${t.Id}:${t.Port}`, { id: t.Id, port: t.Port, state: 'initial' });
    },
    deregisterTargets: async (_arn: string, list: TargetDescription[]) => {
      calls.push(`deregister ${list.map((t) => t.Id).join(',')}`);
      for (const t of list) targets.delete(`${t.Id}:${t.Port}`);
    },
  };
  const state = memoryState(() => NOW);
  const metrics = countingMetrics();
  const deps: TargetsDeps = {
    state,
    elbv2,
    config: { clusters: [CLUSTER], leaseSeconds: 60 },
    now: () => NOW,
    newOwner: () => 'owner',
    logger: quietLogger,
    metrics: metrics as unknown as TargetsDeps['metrics'],
    settleMs: 0,
    quietMs: 0,
    targetGroupCache: new Map(),
    gates: {
      kubeApiFor: async () => ({
        patchPodConditions: async (namespace: string, name: string, _uid, conditions) => {
          patches.push({ pod: `${namespace}/${name}`, conditions: [...conditions] });
        },
      }),
    },
    recheck: { send: async (message, delay) => void rechecks.push({ message, delay }) },
  };
  const health = (id: string, state: string) => {
    const target = [...targets.values()].find((t) => t.id === id);
    if (target !== undefined) target.state = state;
  };
  return { deps, state, calls, patches, rechecks, metrics, health };
}

const service = {
  metadata: { namespace: 'shop', name: 'web' },
  spec: {
    type: 'ClusterIP',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080 }],
  },
};

/** A pod whose containers are ready while its gate holds Ready False. */
function gatedPod(name: string, ip: string, gate = SLBC_GATE) {
  return {
    metadata: { namespace: 'shop', name, labels: { app: 'web' } },
    spec: { nodeName: 'node-a', readinessGates: [{ conditionType: gate }], containers: [{ name: 'app' }] },
    status: {
      phase: 'Running',
      podIP: ip,
      conditions: [
        { type: 'ContainersReady', status: 'True' },
        { type: 'Ready', status: 'False' },
      ],
    },
  };
}

const node = {
  metadata: { name: 'node-a' },
  spec: { providerID: 'aws:///eu-west-1a/i-0a' },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};

function endpoints(notReady: { ip: string; pod: string }[]) {
  return {
    metadata: { namespace: 'shop', name: 'web' },
    subsets: [
      {
        notReadyAddresses: notReady.map(({ ip, pod }) => ({
          ip,
          targetRef: { kind: 'Pod', namespace: 'shop', name: pod },
        })),
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ],
  };
}

async function bound(w: ReturnType<typeof world>) {
  await w.state.bindings.put({
    cluster: CLUSTER,
    targetGroupArn: TG,
    stackKey: 'ingress/shop',
    service: { namespace: 'shop', name: 'web', port: 80 },
    targetType: 'ip',
    createdBySlbc: true,
    vpcCidrs: ['10.0.0.0/16'],
    updatedAt: '2027-01-15T08:00:00Z',
  });
  for (const event of [
    changeEvent('Node', node, 'create'),
    changeEvent('Pod', gatedPod('web-1', '10.0.0.1'), 'create'),
    changeEvent('Service', service, 'create'),
  ])
    await processEvent(w.deps, event);
}

const sqsEvent = (messages: unknown[]): SQSEvent =>
  ({
    Records: messages.map((body, i) => ({
      messageId: `m-${i}`,
      receiptHandle: `r-${i}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:recheck',
      awsRegion: 'eu-west-1',
    })),
  }) as unknown as SQSEvent;

describe('readiness gates through the targets pass', () => {
  it('registers a gated pod that is not Ready, holds its gate False (registration in progress) and asks for one re-check', async () => {
    const w = world();
    await bound(w);
    await processEvent(w.deps, changeEvent('Endpoints', endpoints([{ ip: '10.0.0.1', pod: 'web-1' }])));
    expect(w.calls).toContain('register 10.0.0.1');
    // the first pass registered it; later ones (the mirror has not seen the patch yet) keep it False
    expect(w.patches.every((patch) => patch.conditions[0]?.['status'] === 'False')).toBe(true);
    expect(w.patches.slice(0, 1)).toEqual([
      {
        pod: 'shop/web-1',
        conditions: [
          {
            type: SLBC_GATE,
            status: 'False',
            reason: 'Elb.RegistrationInProgress',
            message: 'Target registration is in progress',
            lastTransitionTime: new Date(NOW).toISOString(),
          },
        ],
      },
    ]);
    // the target group's health-check interval
    expect(w.rechecks).toEqual([
      { message: { version: 1, cluster: CLUSTER, targetGroupArn: TG }, delay: 10 },
    ]);
    // a second pass while the re-check is pending sends no second one
    await reconcileBinding(w.deps, TG, { detailType: 'test', eventId: 'again' });
    expect(w.rechecks).toHaveLength(1);
  });

  it("answers the LBC's gate prefix too", async () => {
    const w = world();
    await bound(w);
    const lbcGate = 'target-health.elbv2.k8s.aws/k8s-shop-web-0123456789';
    await processEvent(w.deps, changeEvent('Pod', gatedPod('web-1', '10.0.0.1', lbcGate)));
    await processEvent(w.deps, changeEvent('Endpoints', endpoints([{ ip: '10.0.0.1', pod: 'web-1' }])));
    expect(w.patches.at(-1)?.conditions[0]).toMatchObject({ type: lbcGate, status: 'False' });
  });

  it('the re-check reads only the targets not yet healthy, patches True once healthy and stops', async () => {
    const w = world();
    await bound(w);
    await processEvent(w.deps, changeEvent('Endpoints', endpoints([{ ip: '10.0.0.1', pod: 'web-1' }])));
    w.calls.length = 0;
    w.health('10.0.0.1', 'healthy');
    const response = await processRechecks(w.deps, sqsEvent([w.rechecks[0]!.message]));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(w.calls).toEqual(['describe 10.0.0.1']);
    expect(w.patches.at(-1)?.conditions[0]).toMatchObject({ type: SLBC_GATE, status: 'True' });
    expect(w.rechecks).toHaveLength(1);
  });

  it('a re-check that still finds the target checking schedules the next one', async () => {
    const w = world();
    await bound(w);
    await processEvent(w.deps, changeEvent('Endpoints', endpoints([{ ip: '10.0.0.1', pod: 'web-1' }])));
    await processRechecks(w.deps, sqsEvent([w.rechecks[0]!.message]));
    expect(w.rechecks).toHaveLength(2);
  });

  it('a bad re-check message is recorded, naming the field, and not retried', async () => {
    const w = world();
    const response = await processRechecks(w.deps, sqsEvent([{ version: 1, cluster: CLUSTER }, 'not json']));
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await w.state.errors.list()).map((e) => e.field).sort()).toEqual(['body', 'targetGroupArn']);
  });
});

describe('fencing', () => {
  it('a pass whose lease was taken over makes no ELBv2 write', async () => {
    const w = world([{ id: '10.0.0.9', port: 8080, state: 'healthy' }]);
    const key = `tg#${TG}`;
    await w.state.queue.bump(key);
    const lease = await w.state.queue.tryLease(key, 'stalled', 60);
    // the lease expired while the holder stalled, and another invocation took the key over
    await forceLease(w, key, 'newcomer');
    // events arrive: the newcomer holds the key, so these invocations only mirror and bump
    await bound(w);
    await processEvent(w.deps, changeEvent('Endpoints', endpoints([{ ip: '10.0.0.1', pod: 'web-1' }])));
    expect(w.calls.filter((call) => !call.startsWith('describe'))).toEqual([]);
    const report = await reconcileBinding(w.deps, TG, { detailType: 'test', eventId: 'stale' }, lease!);
    expect(report.outcome).toBe('lease-lost');
    expect(w.calls.filter((call) => !call.startsWith('describe'))).toEqual([]);
    expect(w.metrics.counts['TargetsLeaseLost']).toBe(1);
  });

  it('a pass that still holds its lease writes', async () => {
    const w = world([{ id: '10.0.0.9', port: 8080, state: 'healthy' }]);
    await bound(w);
    await processEvent(w.deps, changeEvent('Endpoints', endpoints([{ ip: '10.0.0.1', pod: 'web-1' }])));
    expect(w.calls.filter((call) => !call.startsWith('describe'))).toEqual([
      'register 10.0.0.1',
      'deregister 10.0.0.9',
    ]);
  });
});

/** Rewrites the lease owner as a take-over after expiry would. */
async function forceLease(w: ReturnType<typeof world>, key: string, owner: string) {
  const entry = await w.state.queue.get(key);
  expect(entry?.leaseOwner).toBe('stalled');
  await w.state.queue.release(key, 'stalled');
  expect(await w.state.queue.tryLease(key, owner, 60)).toBeDefined();
}

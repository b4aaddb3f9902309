import { describe, expect, it } from 'vitest';
import { podStatusProblem } from '../../../infra/local/cluster/api/pod-status.js';
import { advanceBy, advanceUntilSettled, type SimulatedCluster } from '../../../infra/local/cluster/index.js';
import type { Endpoints, Pod } from '../../../infra/local/cluster/objects.js';
import { podsOf, testCluster } from './fixtures.js';

const GATE = 'target-health.elbv2.k8s.aws/k8s-default-web-0123456789';

function gatedWeb(options: { replicas: number; preStop?: string; grace?: number; gate?: boolean }): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: ${options.replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      ${options.gate === false ? '' : `readinessGates: [{ conditionType: "${GATE}" }]`}
      ${options.grace === undefined ? '' : `terminationGracePeriodSeconds: ${options.grace}`}
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
          ${options.preStop ?? ''}
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

const condition = (pod: Pod, type: string) => pod.status.conditions?.find((c) => c.type === type);
const operator = (cluster: SimulatedCluster) =>
  cluster.iamActor('arn:aws:sts::111122223333:assumed-role/slbc-targets/session');

/** What a gate controller sends: a strategic-merge patch of the gate condition alone. */
function setGate(cluster: SimulatedCluster, pod: Pod, status: 'True' | 'False'): void {
  const patch = {
    status: { conditions: [{ type: GATE, status, lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  };
  const others = (pod.status.conditions ?? []).filter((c) => c.type !== GATE);
  cluster.patchStatus(
    'Pod',
    `default/${pod.metadata.name}`,
    { ...pod.status, conditions: [...others, patch.status.conditions[0]] },
    operator(cluster),
    patch,
  );
}

const readyIps = (cluster: SimulatedCluster) =>
  (cluster.get<Endpoints>('Endpoints', 'default/web')?.subsets ?? []).flatMap((s) =>
    (s.addresses ?? []).map((a) => a.ip),
  );

describe('readiness gates', () => {
  it('keep a pod not Ready until its gate is True, then the kubelet reports Ready', async () => {
    const { cluster, clock } = testCluster({ nodes: 1 });
    cluster.apply(gatedWeb({ replicas: 1 }));
    await advanceUntilSettled(cluster, clock);
    let [pod] = podsOf(cluster) as [Pod];
    expect(condition(pod, 'ContainersReady')?.status).toBe('True');
    expect(condition(pod, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      message: `corresponding condition of pod readiness gate "${GATE}" does not exist.`,
    });
    expect(readyIps(cluster)).toEqual([]);

    setGate(cluster, pod, 'True');
    await advanceUntilSettled(cluster, clock);
    [pod] = podsOf(cluster) as [Pod];
    expect(condition(pod, GATE)?.status).toBe('True');
    expect(condition(pod, 'Ready')?.status).toBe('True');
    expect(readyIps(cluster)).toEqual([pod.status.podIP]);

    // the gate write is audited as EKS logs an IAM principal's pods/status patch; the kubelet's follow-up as kubelet's
    const statusWrites = cluster
      .auditEvents()
      .filter((e) => e.objectRef?.subresource === 'status' && e.objectRef.name === pod.metadata.name)
      .slice(-2);
    expect(statusWrites.map((e) => [e.user.username, e.verb, e.level])).toEqual([
      ['arn:aws:sts::111122223333:assumed-role/slbc-targets/session', 'patch', 'RequestResponse'],
      [expect.stringMatching(/^system:node:/), 'patch', 'Request'],
    ]);
    expect(statusWrites[0]?.requestObject).toEqual({
      status: { conditions: [{ type: GATE, status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    });

    setGate(cluster, pod, 'False');
    await advanceUntilSettled(cluster, clock);
    [pod] = podsOf(cluster) as [Pod];
    expect(condition(pod, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady' });
    expect(readyIps(cluster)).toEqual([]);
  });

  it('hold a rolling update: old pods stay while no new pod passes its gate, and it completes once gates pass', async () => {
    const { cluster, clock } = testCluster({ nodes: 2 });
    cluster.apply(gatedWeb({ replicas: 4 }));
    const passGates = () => {
      for (const pod of podsOf(cluster))
        if (condition(pod, 'ContainersReady')?.status === 'True' && condition(pod, GATE)?.status !== 'True')
          setGate(cluster, pod, 'True');
    };
    for (let t = 0; t < 20_000; t += 500) {
      await advanceBy(clock, 500);
      passGates();
    }
    const original = podsOf(cluster).map((p) => p.metadata.uid);
    expect(original).toHaveLength(4);

    cluster.rollout('default/web');
    await advanceBy(clock, 60_000); // nobody passes the new pods' gates
    const live = podsOf(cluster).filter((p) => !p.metadata.deletionTimestamp);
    const oldLive = live.filter((p) => original.includes(p.metadata.uid));
    // 25% of 4: one old pod may go; the surge pod cannot replace it while its gate is not True
    expect(oldLive).toHaveLength(3);
    expect(live.filter((p) => condition(p, 'Ready')?.status === 'True')).toHaveLength(3);

    for (let t = 0; t < 60_000; t += 500) {
      await advanceBy(clock, 500);
      passGates();
      const ready = podsOf(cluster).filter(
        (p) => !p.metadata.deletionTimestamp && condition(p, 'Ready')?.status === 'True',
      );
      expect(ready.length).toBeGreaterThanOrEqual(3);
    }
    const after = podsOf(cluster);
    expect(after).toHaveLength(4);
    expect(after.some((p) => original.includes(p.metadata.uid))).toBe(false);
  });
});

describe('termination with preStop', () => {
  const cases = [
    {
      name: 'exec sleep 10, grace 30: serves 10 s, stops, exits 3 s later',
      preStop: 'lifecycle: { preStop: { exec: { command: [sleep, "10"] } } }',
      grace: 30,
      servesUntil: 10_000,
      goneAt: 13_000,
    },
    {
      name: 'sleep handler 40 s, grace 30: the grace period cuts preStop and kills',
      preStop: 'lifecycle: { preStop: { sleep: { seconds: 40 } } }',
      grace: 30,
      servesUntil: 30_000,
      goneAt: 30_000,
    },
    {
      name: 'sh -c "sleep 5", default grace: serves 5 s',
      preStop: 'lifecycle: { preStop: { exec: { command: [/bin/sh, -c, "sleep 5"] } } }',
      grace: undefined,
      servesUntil: 5_000,
      goneAt: 8_000,
    },
    { name: 'no preStop: stops answering at once', preStop: '', grace: 30, servesUntil: 0, goneAt: 3_000 },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const { cluster, clock } = testCluster({ nodes: 1 });
      cluster.apply(
        gatedWeb({
          replicas: 1,
          gate: false,
          preStop: c.preStop,
          ...(c.grace === undefined ? {} : { grace: c.grace }),
        }),
      );
      await advanceUntilSettled(cluster, clock);
      const [pod] = podsOf(cluster) as [Pod];
      const key = `default/${pod.metadata.name}`;
      const ip = pod.status.podIP as string;
      expect(readyIps(cluster)).toEqual([ip]);

      cluster.delete('Pod', key);
      expect(cluster.get<Pod>('Pod', key)?.metadata.deletionTimestamp).toBeDefined();
      expect(readyIps(cluster)).toEqual([]); // out of the ready addresses at once
      const timeline: { at: number; serving: boolean; present: boolean }[] = [];
      const points = [c.servesUntil - 100, c.servesUntil + 100, c.goneAt - 100, c.goneAt + 100];
      for (const at of [...new Set(points)].filter((t) => t >= 0).sort((x, y) => x - y)) {
        await advanceBy(clock, at - (timeline.at(-1)?.at ?? 0));
        timeline.push({
          at,
          serving: cluster.isServing(ip, 8080),
          present: cluster.get('Pod', key) !== undefined,
        });
      }
      expect(timeline).toEqual(
        timeline.map((point) => ({
          at: point.at,
          serving: point.at < c.servesUntil,
          present: point.at < c.goneAt,
        })),
      );
    });
});

describe('pods/status PATCH checks', () => {
  const cases = [
    { name: 'a gate condition', status: { conditions: [{ type: GATE, status: 'True' }] }, want: undefined },
    { name: 'not an object', status: [], want: { field: 'status', message: 'must be an object' } },
    {
      name: 'conditions not a list',
      status: { conditions: {} },
      want: { field: 'status.conditions', message: 'must be a list' },
    },
    {
      name: 'missing type',
      status: { conditions: [{ status: 'True' }] },
      want: { field: 'status.conditions[0].type', message: 'is required' },
    },
    {
      name: 'bad status',
      status: { conditions: [{ type: GATE, status: 'yes' }] },
      want: { field: 'status.conditions[0].status', message: 'must be True, False or Unknown' },
    },
    {
      name: 'duplicate type',
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'Ready', status: 'False' },
        ],
      },
      want: { field: 'status.conditions[1].type', message: 'duplicate condition type Ready' },
    },
    {
      name: 'bad phase',
      status: { phase: 'Done' },
      want: { field: 'status.phase', message: 'must be one of Pending, Running, Succeeded, Failed, Unknown' },
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expect(podStatusProblem(c.status)).toEqual(c.want);
    });
});

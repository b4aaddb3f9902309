import { describe, expect, it } from 'vitest';
import type { Endpoints, Node, Pod, Service } from '../../../shared/k8s/objects.js';
import { desiredTargets, type TargetInputs } from '../../../shared/model/targets.js';

/**
 * Conformance 23 (LBC endpoint resolution: readiness, terminating, fail-open), in our shapes:
 * legacy Endpoints instead of EndpointSlices (EKS audit logs only Endpoints with addresses),
 * so ready=false entries are notReadyAddresses and terminating is the pod's deletionTimestamp.
 */
const NS = 'test-ns';

function node(name: string, ready: string, extra: Partial<Node> = {}): Node {
  return {
    metadata: { name, labels: {} },
    spec: { providerID: `aws:///us-west-2b/i-abcdefg${name.slice(-1)}` },
    status: { conditions: [{ type: 'Ready', status: ready }] },
    ...extra,
  };
}

const nodes = [node('node-a', 'True'), node('node-b', 'Unknown'), node('node-c', 'False')];

function pod(
  n: number,
  nodeName: string,
  ready: boolean,
  containersReady: boolean,
  terminating = false,
): Pod {
  return {
    metadata: {
      name: `pod-${n}`,
      namespace: NS,
      uid: `uid-${n}`,
      labels: { app: 'svc-1' },
      ...(terminating ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: { nodeName, containers: [{ name: 'app', ports: [{ name: 'web', containerPort: 8080 }] }] },
    status: {
      phase: 'Running',
      podIP: `192.168.1.${n}`,
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False' },
        { type: 'ContainersReady', status: containersReady ? 'True' : 'False' },
      ],
    },
  };
}

// the conformance pods; pod-8 is terminating on an Unknown node
const pods = [
  pod(1, 'node-a', true, true),
  pod(2, 'node-b', false, true),
  pod(3, 'node-c', false, true),
  pod(4, 'node-a', false, true),
  pod(5, 'node-b', false, true),
  pod(6, 'node-a', false, false),
  pod(7, 'node-a', false, false),
  pod(8, 'node-b', false, true, true),
];

const service: Service = {
  metadata: { name: 'svc-1', namespace: NS },
  spec: {
    type: 'ClusterIP',
    selector: { app: 'svc-1' },
    ports: [
      { name: 'http', port: 80, targetPort: 'web' },
      { name: 'https', port: 443 },
    ],
  },
};

const address = (n: number) => ({
  ip: `192.168.1.${n}`,
  targetRef: { kind: 'Pod', namespace: NS, name: `pod-${n}`, uid: `uid-${n}` },
});

function endpoints(ready: number[], notReady: number[], annotations?: Record<string, string>): Endpoints {
  return {
    metadata: { name: 'svc-1', namespace: NS, ...(annotations === undefined ? {} : { annotations }) },
    subsets: [
      {
        addresses: ready.map(address),
        notReadyAddresses: notReady.map(address),
        ports: [
          { name: 'http', port: 8080 },
          { name: 'https', port: 8443 },
        ],
      },
    ],
  };
}

const base: TargetInputs = {
  targetType: 'ip',
  service: { namespace: NS, name: 'svc-1', port: 'http' },
  serviceObject: { state: 'present', object: service },
  endpoints: { state: 'present', object: endpoints([1], [2, 3, 4, 5, 6, 7, 8]) },
  pods,
  nodes,
};

const ids = (result: ReturnType<typeof desiredTargets>) =>
  result.kind === 'targets' ? result.targets.map((t) => `${t.id}:${t.port}`) : result;

describe('desired targets, IP mode (conformance 23)', () => {
  const cases: { name: string; input: Partial<TargetInputs>; want: unknown }[] = [
    {
      name: 'fail-open, ready present: ready and containers-ready-on-Ready-node',
      input: {},
      want: ['192.168.1.1:8080', '192.168.1.4:8080'],
    },
    {
      name: 'no fail-open, ready present: the same',
      input: { failOpen: false },
      want: ['192.168.1.1:8080', '192.168.1.4:8080'],
    },
    {
      name: 'fail-open, nothing ready: the Unknown-node bucket',
      input: { endpoints: { state: 'present', object: endpoints([], [2, 3, 5, 6, 7, 8]) } },
      want: ['192.168.1.2:8080', '192.168.1.5:8080', '192.168.1.8:8080'],
    },
    {
      name: 'no fail-open, nothing ready: none',
      input: { failOpen: false, endpoints: { state: 'present', object: endpoints([], [2, 3, 5, 6, 7, 8]) } },
      want: [],
    },
    {
      name: 'service port not found: invalid, naming the Service and port',
      input: { service: { namespace: NS, name: 'svc-1', port: 'grpc' } },
      want: { kind: 'invalid', field: 'spec.ports', message: 'Service test-ns/svc-1 has no port "grpc"' },
    },
    { name: 'service deleted: no targets', input: { serviceObject: { state: 'deleted' } }, want: [] },
    {
      name: 'service never seen: unknown, leave the target group alone',
      input: { serviceObject: { state: 'unknown' } },
      want: expect.objectContaining({ kind: 'unknown' }),
    },
    { name: 'endpoints deleted: no targets', input: { endpoints: { state: 'deleted' } }, want: [] },
    {
      name: 'ready address of a terminating pod is left out',
      input: { endpoints: { state: 'present', object: endpoints([1, 8], []) } },
      want: ['192.168.1.1:8080'],
    },
    {
      name: 'numeric service port reference',
      input: { service: { namespace: NS, name: 'svc-1', port: 443 } },
      want: ['192.168.1.1:8443', '192.168.1.4:8443'],
    },
    {
      name: 'ready address of an unmirrored pod is still a target (Endpoints is authoritative)',
      input: { pods: [], endpoints: { state: 'present', object: endpoints([1, 4], []) } },
      want: ['192.168.1.1:8080', '192.168.1.4:8080'],
    },
  ];
  it.each(cases)('$name', ({ input, want }) => {
    expect(ids(desiredTargets({ ...base, ...input }))).toEqual(want);
  });
});

describe('desired targets, selector fallback', () => {
  const overCapacity = endpoints([1], [], { 'endpoints.kubernetes.io/over-capacity': 'truncated' });
  it('over capacity: ready pods picked by the selector, named port resolved per pod', () => {
    const other = {
      ...pod(9, 'node-a', true, true),
      spec: {
        nodeName: 'node-a',
        containers: [{ name: 'app', ports: [{ name: 'web', containerPort: 9090 }] }],
      },
    };
    const stranger = {
      ...pod(10, 'node-a', true, true),
      metadata: { name: 'pod-10', namespace: NS, labels: { app: 'other' } },
    };
    const result = desiredTargets({
      ...base,
      endpoints: { state: 'present', object: overCapacity },
      pods: [...pods, other, stranger],
    });
    expect(result).toMatchObject({ kind: 'targets', mode: 'selector' });
    expect(ids(result)).toEqual(['192.168.1.1:8080', '192.168.1.4:8080', '192.168.1.9:9090']);
  });
  it('endpoints not mirrored yet: selector', () => {
    expect(desiredTargets({ ...base, endpoints: { state: 'unknown' } })).toMatchObject({
      kind: 'targets',
      mode: 'selector',
    });
  });
  it('a named port no container declares skips the pod and says why', () => {
    const noPort = {
      ...pod(11, 'node-a', true, true),
      spec: { nodeName: 'node-a', containers: [{ name: 'app' }] },
    };
    const result = desiredTargets({ ...base, endpoints: { state: 'unknown' }, pods: [noPort] });
    expect(result).toMatchObject({
      kind: 'targets',
      targets: [],
      skipped: [{ ref: 'test-ns/pod-11', reason: expect.stringContaining('named targetPort') }],
    });
  });
  it('over capacity without a selector: invalid', () => {
    const bare = { ...service, spec: { ...service.spec, selector: null } };
    expect(
      desiredTargets({
        ...base,
        serviceObject: { state: 'present', object: bare },
        endpoints: { state: 'present', object: overCapacity },
      }),
    ).toMatchObject({ kind: 'invalid', field: 'spec.selector' });
  });
});

describe('desired targets, instance mode', () => {
  const lbService: Service = {
    ...service,
    spec: { ...service.spec, type: 'LoadBalancer', ports: [{ name: 'http', port: 80, nodePort: 30080 }] },
  };
  const instance = (extra: Partial<TargetInputs>) =>
    ids(
      desiredTargets({
        ...base,
        targetType: 'instance',
        serviceObject: { state: 'present', object: lbService },
        ...extra,
      }),
    );
  const cases: { name: string; nodes: Node[]; want: unknown }[] = [
    {
      name: 'Ready nodes on the NodePort',
      nodes: [node('n-1', 'True'), node('n-2', 'False')],
      want: ['i-abcdefg1:30080'],
    },
    {
      name: 'fail-open to Unknown nodes when none is Ready',
      nodes: [node('n-1', 'Unknown'), node('n-2', 'False')],
      want: ['i-abcdefg1:30080'],
    },
    {
      name: 'exclude-from-external-load-balancers label',
      nodes: [
        node('n-1', 'True', {
          metadata: {
            name: 'n-1',
            labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '' },
          },
        }),
        node('n-2', 'True'),
      ],
      want: ['i-abcdefg2:30080'],
    },
    {
      name: 'being deleted',
      nodes: [node('n-1', 'True', { metadata: { name: 'n-1', deletionTimestamp: '2025-01-01T00:00:00Z' } })],
      want: [],
    },
    {
      name: 'cluster-autoscaler and karpenter taints',
      nodes: [
        node('n-1', 'True', {
          spec: {
            providerID: 'aws:///a/i-abcdefg1',
            taints: [{ key: 'ToBeDeletedByClusterAutoscaler', effect: 'NoSchedule' }],
          },
        }),
        node('n-2', 'True', {
          spec: {
            providerID: 'aws:///a/i-abcdefg2',
            taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }],
          },
        }),
        node('n-3', 'True'),
      ],
      want: ['i-abcdefg3:30080'],
    },
    {
      name: 'a node without an EC2 providerID is skipped',
      nodes: [node('n-1', 'True', { spec: { providerID: 'kind://docker/x' } })],
      want: [],
    },
  ];
  it.each(cases)('$name', ({ nodes: given, want }) => expect(instance({ nodes: given })).toEqual(want));

  it('a ClusterIP Service cannot have instance targets', () => {
    expect(desiredTargets({ ...base, targetType: 'instance' })).toMatchObject({
      kind: 'invalid',
      field: 'spec.type',
    });
  });
});

/**
 * The readiness-gate path when the mirror is behind: the scheduler sets spec.nodeName through
 * pods/binding (not ingested), and a node's audit line can arrive after its pods'. A pod whose
 * containers are ready must still be a target, or its gate is never answered and the rollout
 * stalls (rollout-gated.yaml did, with 503s).
 */
describe('desired targets, a gated pod while the mirror is behind', () => {
  const unscheduled = (n: number): Pod => {
    const p = pod(n, 'node-a', false, true);
    const { nodeName: _dropped, ...spec } = p.spec ?? { containers: [] };
    return { ...p, spec };
  };
  const withNode = (n: number, nodeName: string) => ({ ...address(n), nodeName });
  const endpointsOf = (notReady: ReturnType<typeof address>[]): Endpoints => ({
    metadata: { name: 'svc-1', namespace: NS },
    subsets: [
      { addresses: [address(1)], notReadyAddresses: notReady, ports: [{ name: 'http', port: 8080 }] },
    ],
  });
  const cases: { name: string; input: Partial<TargetInputs>; want: string[]; skipped?: string }[] = [
    {
      name: 'pod without spec.nodeName: the address nodeName (a Ready node) decides',
      input: {
        pods: [pods[0] as Pod, unscheduled(4)],
        endpoints: { state: 'present', object: endpointsOf([withNode(4, 'node-a')]) },
      },
      want: ['192.168.1.1:8080', '192.168.1.4:8080'],
    },
    {
      name: 'pod without spec.nodeName, address on a NotReady node: skipped, saying so',
      input: {
        pods: [pods[0] as Pod, unscheduled(4)],
        endpoints: { state: 'present', object: endpointsOf([withNode(4, 'node-c')]) },
      },
      want: ['192.168.1.1:8080'],
      skipped: 'node-c whose Ready is False',
    },
    {
      name: 'node not mirrored yet: counts as Ready (its kubelet reported the containers ready)',
      input: {
        nodes: [],
        pods: [pods[0] as Pod, pods[3] as Pod],
        endpoints: { state: 'present', object: endpointsOf([withNode(4, 'node-a')]) },
      },
      want: ['192.168.1.1:8080', '192.168.1.4:8080'],
    },
    {
      name: 'no node name anywhere: counts as Ready',
      input: {
        pods: [pods[0] as Pod, unscheduled(4)],
        endpoints: { state: 'present', object: endpointsOf([address(4)]) },
      },
      want: ['192.168.1.1:8080', '192.168.1.4:8080'],
    },
    {
      name: 'containers not ready: skipped, saying so',
      input: {
        pods: [pods[0] as Pod, pods[5] as Pod],
        endpoints: { state: 'present', object: endpointsOf([withNode(6, 'node-a')]) },
      },
      want: ['192.168.1.1:8080'],
      skipped: 'containers are not ready',
    },
  ];
  it.each(cases)('$name', ({ input, want, skipped }) => {
    const result = desiredTargets({ ...base, ...input });
    expect(ids(result)).toEqual(want);
    if (skipped !== undefined)
      expect(result).toMatchObject({ skipped: [{ reason: expect.stringContaining(skipped) }] });
  });
});

import { describe, expect, it } from 'vitest';
import {
  computeSubsets,
  MAX_ENDPOINT_ADDRESSES,
  resolveTargetPort,
} from '../../../infra/local/cluster/endpoints.js';
import { advanceUntilSettled } from '../../../infra/local/cluster/index.js';
import type { Endpoints, Pod, Service } from '../../../infra/local/cluster/objects.js';
import { testCluster, webManifests } from './fixtures.js';

function pod(
  name: string,
  ip: string,
  options: { ready?: boolean; port?: { name: string; containerPort: number }; terminating?: boolean } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      labels: { app: 'web' },
      ...(options.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      nodeName: 'n1',
      containers: [{ name: 'c', ports: [options.port ?? { name: 'http', containerPort: 8080 }] }],
    },
    status: {
      phase: 'Running',
      podIP: ip,
      conditions: [
        { type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: '' },
      ],
    },
  };
}

const service: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

describe('Endpoints', () => {
  it('resolves target ports by number, numeric string and name', () => {
    const p = pod('a', '10.0.0.1');
    const cases = [
      { targetPort: 9000, want: 9000 },
      { targetPort: '9001', want: 9001 },
      { targetPort: 'http', want: 8080 },
      { targetPort: 'metrics', want: undefined },
      { targetPort: undefined, want: 80 },
    ];
    for (const c of cases)
      expect(
        resolveTargetPort(
          { port: 80, ...(c.targetPort === undefined ? {} : { targetPort: c.targetPort }) },
          p,
        ),
      ).toBe(c.want);
  });

  it('splits ready and not-ready, drops terminating pods, groups pods by resolved ports, sorts by IP', () => {
    const { subsets, truncated } = computeSubsets(service, [
      pod('b', '10.0.0.20'),
      pod('a', '10.0.0.3'),
      pod('c', '10.0.0.4', { ready: false }),
      pod('d', '10.0.0.5', { terminating: true }),
      pod('e', '10.0.0.6', { port: { name: 'http', containerPort: 9090 } }),
      pod('f', '10.0.0.7', { port: { name: 'other', containerPort: 1 } }),
    ]);
    expect(truncated).toBe(false);
    expect(subsets).toEqual([
      {
        addresses: [
          {
            ip: '10.0.0.3',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
          },
          {
            ip: '10.0.0.20',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' },
          },
        ],
        notReadyAddresses: [
          {
            ip: '10.0.0.4',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'uid-c' },
          },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
      {
        addresses: [
          {
            ip: '10.0.0.6',
            nodeName: 'n1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'e', uid: 'uid-e' },
          },
        ],
        ports: [{ name: 'http', port: 9090, protocol: 'TCP' }],
      },
    ]);
  });

  it('truncates past 1000 addresses, ready ones first', () => {
    const pods = Array.from({ length: 1200 }, (_, i) =>
      pod(`p${i}`, `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`, { ready: i >= 300 }),
    );
    const { subsets, truncated } = computeSubsets(service, pods);
    expect(truncated).toBe(true);
    expect(subsets[0]?.addresses).toHaveLength(900);
    expect(subsets[0]?.notReadyAddresses).toHaveLength(MAX_ENDPOINT_ADDRESSES - 900);
  });

  it('annotates over-capacity Endpoints in a running cluster', async () => {
    const { cluster, clock } = testCluster({
      nodes: 3,
      delays: { schedule: 1, containerStart: 1, ready: 0, terminate: 1 },
    });
    cluster.apply(webManifests({ replicas: 1001 }));
    await advanceUntilSettled(cluster, clock);
    const endpoints = cluster.get<Endpoints>('Endpoints', 'default/web');
    expect(endpoints?.metadata.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
    expect(endpoints?.subsets?.[0]?.addresses).toHaveLength(1000);
    cluster.scale('default/web', 1000);
    await advanceUntilSettled(cluster, clock);
    expect(
      cluster.get<Endpoints>('Endpoints', 'default/web')?.metadata.annotations?.[
        'endpoints.kubernetes.io/over-capacity'
      ],
    ).toBeUndefined();
  });

  it('deletes Endpoints with their Service and allocates stable node ports', () => {
    const { cluster } = testCluster();
    cluster.apply(webManifests({ replicas: 1 }));
    const nodePort = cluster.get<Service>('Service', 'default/web')?.spec.ports?.[0]?.nodePort as number;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    cluster.apply(webManifests({ replicas: 1 }).replace('targetPort: http', 'targetPort: 8080'));
    expect(cluster.get<Service>('Service', 'default/web')?.spec.ports?.[0]?.nodePort).toBe(nodePort);
    cluster.delete('Service', 'default/web');
    expect(cluster.get('Endpoints', 'default/web')).toBeUndefined();
    expect(cluster.list('EndpointSlice')).toHaveLength(0);
  });
});

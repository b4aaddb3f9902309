/**
 * What kubectl (or any client) does to the simulated API while `slbc local --keep` runs:
 * create, replace, patch, server-side apply and delete objects; write Events (events.k8s.io/v1
 * and core/v1, with series counts) and read them back with kubectl describe's field selector;
 * reach it through the local credential (bearer token, or the `/local/<token>` path prefix).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import {
  createCluster,
  type KubernetesApiServer,
  type SimulatedCluster,
  serveKubernetesApi,
} from '../../../infra/local/cluster/index.js';
import { TOPOLOGY } from '../../unit/cluster/fixtures.js';

const LOCAL = { token: 'local-test-token', arn: 'arn:aws:iam::111122223333:user/local-admin' };

const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
  spec: {
    type: 'LoadBalancer',
    selector: { app: 'web' },
    ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
};

const EVENT = {
  metadata: { name: 'web.1' },
  type: 'Warning',
  reason: 'FailedBuildModel',
  note: 'spec.ports[0]: bad',
  regarding: { kind: 'Service', namespace: 'default', name: 'web' },
  eventTime: '2026-12-05T08:00:00.000000Z',
  reportingController: 'slbc.k8s.aws/stacks',
  reportingInstance: 'stacks',
  action: 'Reconcile',
};

let cluster: SimulatedCluster;
let server: KubernetesApiServer;

beforeAll(async () => {
  cluster = createCluster({ clock: virtualClock(), topology: TOPOLOGY, seed: 3 });
  server = await serveKubernetesApi(cluster, {
    verifyToken: async () => ({ ok: false, reason: 'only the local token here' }),
    localAccess: LOCAL,
  });
});
afterAll(async () => {
  await server.stop();
  cluster.stop();
});

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${LOCAL.token}`,
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('writes through the simulated Kubernetes API', () => {
  it('creates, refuses a duplicate, patches, applies server-side and deletes a Service', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/services', SERVICE);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'Service', metadata: { name: 'web', namespace: 'default' } });
    expect(cluster.get('Service', 'default/web')).toBeTruthy();

    expect((await call('POST', '/api/v1/namespaces/default/services', SERVICE)).status).toBe(409);

    const patched = await call(
      'PATCH',
      '/api/v1/namespaces/default/services/web',
      { metadata: { annotations: { team: 'b' } } },
      'application/strategic-merge-patch+json',
    );
    expect(patched.status).toBe(200);
    expect(cluster.get('Service', 'default/web')?.metadata.annotations?.['team']).toBe('b');

    const applied = await call(
      'PATCH',
      '/api/v1/namespaces/default/services/web?fieldManager=kubectl',
      'metadata:\n  annotations:\n    team: c\n',
      'application/apply-patch+yaml',
    );
    expect(applied.status).toBe(200);
    expect(cluster.get('Service', 'default/web')?.metadata.annotations?.['team']).toBe('c');

    expect((await call('DELETE', '/api/v1/namespaces/default/services/web')).status).toBe(200);
    expect(cluster.get('Service', 'default/web')).toBeUndefined();
    expect((await call('DELETE', '/api/v1/namespaces/default/services/web')).status).toBe(404);
  });

  it('refuses what the cluster refuses, naming the field, and read-only kinds', async () => {
    const bad = await call('POST', '/api/v1/namespaces/default/services', {
      ...SERVICE,
      spec: { ...SERVICE.spec, ports: [{ port: 99999 }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body['message']).toContain('spec.ports[0].port');
    const endpoints = await call('POST', '/api/v1/namespaces/default/endpoints', {
      kind: 'Endpoints',
      metadata: { name: 'x' },
    });
    expect(endpoints.status).toBe(405);
  });

  it('serves discovery with write verbs, short names and the Events resources', async () => {
    const core = await call('GET', '/api/v1');
    const resources = core.body['resources'] as { name: string; verbs: string[]; shortNames?: string[] }[];
    expect(resources.find((r) => r.name === 'services')).toMatchObject({
      verbs: expect.arrayContaining(['create', 'patch', 'delete']),
      shortNames: ['svc'],
    });
    expect(resources.map((r) => r.name)).toContain('events');
    const groups = (await call('GET', '/apis')).body['groups'] as { name: string }[];
    expect(groups.map((g) => g.name)).toContain('events.k8s.io');
    const eventsGroup = await call('GET', '/apis/events.k8s.io/v1');
    expect(eventsGroup.body['resources']).toEqual([
      expect.objectContaining({ name: 'events', kind: 'Event' }),
    ]);
  });
});

describe('Events', () => {
  it('stores an events.k8s.io/v1 Event, counts a repeat through series, and serves it as core/v1', async () => {
    expect((await call('POST', '/apis/events.k8s.io/v1/namespaces/default/events', EVENT)).status).toBe(201);
    const repeat = await call(
      'PATCH',
      '/apis/events.k8s.io/v1/namespaces/default/events/web.1',
      { series: { count: 2, lastObservedTime: '2026-12-05T08:01:00.000000Z' } },
      'application/merge-patch+json',
    );
    expect(repeat.status).toBe(200);
    const described = await call(
      'GET',
      '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb,involvedObject.kind%3DService',
    );
    expect(described.body['items']).toEqual([
      expect.objectContaining({
        kind: 'Event',
        involvedObject: EVENT.regarding,
        message: EVENT.note,
        count: 2,
        reason: 'FailedBuildModel',
      }),
    ]);
    const other = await call(
      'GET',
      '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dshop',
    );
    expect(other.body['items']).toEqual([]);
    expect(server.events.records()).toEqual([
      {
        type: 'Warning',
        reason: 'FailedBuildModel',
        message: EVENT.note,
        involvedObject: { kind: 'Service', namespace: 'default', name: 'web' },
        count: 2,
      },
    ]);
  });

  it('stores a core/v1 Event written by an older client', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/events', {
      metadata: { generateName: 'shop.' },
      type: 'Normal',
      reason: 'SuccessfullyReconciled',
      message: 'Successfully reconciled',
      involvedObject: { kind: 'Ingress', namespace: 'default', name: 'shop' },
      source: { component: 'slbc' },
      count: 1,
      firstTimestamp: '2026-12-05T08:00:00Z',
    });
    expect(created.status).toBe(201);
    expect(server.events.records()).toContainEqual({
      type: 'Normal',
      reason: 'SuccessfullyReconciled',
      message: 'Successfully reconciled',
      involvedObject: { kind: 'Ingress', namespace: 'default', name: 'shop' },
      count: 1,
    });
  });

  it.each([
    [
      'no regarding',
      { ...EVENT, metadata: { name: 'a' }, regarding: undefined },
      'regarding: Required value',
    ],
    ['a bad type', { ...EVENT, metadata: { name: 'b' }, type: 'Error' }, 'type: Unsupported value'],
    [
      'no reportingController',
      { ...EVENT, metadata: { name: 'c' }, reportingController: '' },
      'reportingController',
    ],
    [
      'no eventTime',
      { ...EVENT, metadata: { name: 'd' }, eventTime: undefined },
      'eventTime: Required value',
    ],
  ])('refuses an Event with %s, naming the field', async (_name, body, message) => {
    const refused = await call('POST', '/apis/events.k8s.io/v1/namespaces/default/events', body);
    expect(refused.status).toBe(422);
    expect(refused.body['message']).toContain(message);
  });
});

describe('local access', () => {
  it('takes the token as a path prefix (kubectl sends no Authorization over plain HTTP)', async () => {
    const response = await fetch(`${server.url}/local/${LOCAL.token}/api/v1/namespaces`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { kind: string }).kind).toBe('NamespaceList');
  });

  it.each([
    ['no token', {}, '/api/v1/namespaces'],
    ['another token', { authorization: 'Bearer nope' }, '/api/v1/namespaces'],
    ['a wrong path prefix', {}, '/local/nope/api/v1/namespaces'],
  ])('refuses %s with 401', async (_name, headers, path) => {
    expect((await fetch(`${server.url}${path}`, { headers })).status).toBe(401);
  });
});

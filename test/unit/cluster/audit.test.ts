import { describe, expect, it } from 'vitest';
import { type AuditEvent, advanceUntilSettled, auditLevel } from '../../../infra/local/cluster/index.js';
import { testCluster, webManifests } from './fixtures.js';

const REQUIRED_KEYS = [
  'kind',
  'apiVersion',
  'level',
  'auditID',
  'stage',
  'requestURI',
  'verb',
  'user',
  'sourceIPs',
  'userAgent',
  'objectRef',
  'responseStatus',
  'requestReceivedTimestamp',
  'stageTimestamp',
  'annotations',
];
const MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

async function settledEvents() {
  const { cluster, clock } = testCluster({ nodes: 2 });
  cluster.apply(webManifests({ replicas: 2 }));
  await advanceUntilSettled(cluster, clock);
  cluster.scale('default/web', 1);
  await advanceUntilSettled(cluster, clock);
  return { cluster, clock, events: cluster.auditEvents() };
}

describe('the EKS audit policy', () => {
  const cases = [
    {
      name: 'kubelet pods/status patch',
      user: 'system:node:n1',
      groups: ['system:nodes'],
      verb: 'patch',
      resource: 'pods',
      subresource: 'status',
      want: 'Request',
    },
    {
      name: 'pod create by a controller',
      user: 'system:serviceaccount:kube-system:replicaset-controller',
      groups: [],
      verb: 'create',
      resource: 'pods',
      want: 'RequestResponse',
    },
    {
      name: 'endpoints update outside kube-system',
      user: 'system:serviceaccount:kube-system:endpoint-controller',
      groups: [],
      verb: 'update',
      resource: 'endpoints',
      namespace: 'default',
      want: 'RequestResponse',
    },
    {
      name: 'endpoints update in kube-system',
      user: 'system:serviceaccount:kube-system:endpoint-controller',
      groups: [],
      verb: 'update',
      resource: 'endpoints',
      namespace: 'kube-system',
      want: 'None',
    },
    {
      name: 'endpointslices',
      user: 'system:serviceaccount:kube-system:endpointslice-controller',
      groups: [],
      verb: 'update',
      resource: 'endpointslices',
      apiGroup: 'discovery.k8s.io',
      want: 'Metadata',
    },
    {
      name: 'ingress patch',
      user: 'arn:aws:sts::1:assumed-role/a/b',
      groups: ['system:authenticated'],
      verb: 'patch',
      resource: 'ingresses',
      apiGroup: 'networking.k8s.io',
      want: 'RequestResponse',
    },
    { name: 'pod list', user: 'x', groups: [], verb: 'list', resource: 'pods', want: 'Request' },
    { name: 'core events', user: 'x', groups: [], verb: 'create', resource: 'events', want: 'None' },
    { name: 'secrets', user: 'x', groups: [], verb: 'get', resource: 'secrets', want: 'Metadata' },
    {
      name: 'leases',
      user: 'x',
      groups: [],
      verb: 'update',
      resource: 'leases',
      apiGroup: 'coordination.k8s.io',
      want: 'Metadata',
    },
  ];
  for (const c of cases)
    it(`${c.name} → ${c.want}`, () => {
      expect(
        auditLevel({
          username: c.user,
          groups: c.groups,
          verb: c.verb,
          resource: c.resource,
          ...(c.subresource ? { subresource: c.subresource } : {}),
          ...(c.apiGroup ? { apiGroup: c.apiGroup } : {}),
          ...(c.namespace ? { namespace: c.namespace } : {}),
        }),
      ).toBe(c.want);
    });
});

describe('audit events', () => {
  it('have the audit.k8s.io/v1 shape with microsecond timestamps', async () => {
    const { events } = await settledEvents();
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) {
      for (const key of REQUIRED_KEYS) expect(event, key).toHaveProperty(key);
      expect(event.requestReceivedTimestamp).toMatch(MICROS);
      expect(event.stageTimestamp >= event.requestReceivedTimestamp).toBe(true);
      expect(event.annotations['authorization.k8s.io/decision']).toBe('allow');
    }
  });

  it('writes kubelet status patches at Request level with only the changed fields', async () => {
    const { events } = await settledEvents();
    const patches = events.filter(
      (e) => e.objectRef?.subresource === 'status' && e.objectRef.resource === 'pods',
    );
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) {
      expect(patch.level).toBe('Request');
      expect(patch.responseObject).toBeUndefined();
      expect(patch.user.groups).toContain('system:nodes');
      expect(patch.objectRef).not.toHaveProperty('uid');
      const body = patch.requestObject as {
        metadata: Record<string, unknown>;
        status: Record<string, unknown>;
      };
      expect(Object.keys(body.metadata)).toEqual(['uid']);
      // the key order of EKS's own kubelet patch lines
      expect(Object.keys(patch)).toEqual([
        ...REQUIRED_KEYS.slice(0, 12),
        'requestObject',
        ...REQUIRED_KEYS.slice(12),
      ]);
    }
    const withIp = patches.find((p) => (p.requestObject as { status: { podIP?: string } }).status.podIP);
    const status = (withIp?.requestObject as { status: Record<string, unknown> } | undefined)?.status ?? {};
    expect(status).toMatchObject({ phase: 'Running', podIPs: [{ ip: status.podIP }] });
    expect(status['$setElementOrder/conditions']).toEqual([
      { type: 'PodReadyToStartContainers' },
      { type: 'Initialized' },
      { type: 'Ready' },
      { type: 'ContainersReady' },
      { type: 'PodScheduled' },
    ]);
    // Only the conditions that changed, never the unchanged Initialized/PodScheduled.
    expect((status.conditions as { type: string }[]).map((c) => c.type)).toEqual([
      'PodReadyToStartContainers',
    ]);
    const readiness = patches.find((p) =>
      (
        (p.requestObject as { status: { conditions?: { type: string; status: string; message?: null }[] } })
          .status.conditions ?? []
      ).some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    const readyStatus =
      (readiness?.requestObject as { status: Record<string, unknown> } | undefined)?.status ?? {};
    expect(readyStatus.podIP).toBeUndefined();
    expect((readyStatus.conditions as { message: unknown }[])[0]?.message).toBeNull();
  });

  it('writes pod creates and deletes at RequestResponse with full objects', async () => {
    const { events } = await settledEvents();
    const create = events.find(
      (e) => e.verb === 'create' && e.objectRef?.resource === 'pods' && !e.objectRef.subresource,
    );
    expect(create).toMatchObject({
      level: 'RequestResponse',
      requestURI: '/api/v1/namespaces/default/pods',
      user: { username: 'system:serviceaccount:kube-system:replicaset-controller' },
      objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' },
      responseStatus: { code: 201 },
    });
    expect(create?.objectRef).not.toHaveProperty('name'); // generateName: the name is not known yet
    expect((create?.responseObject as { metadata: { uid: string } } | undefined)?.metadata.uid).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    const deletes = events.filter((e) => e.verb === 'delete' && e.objectRef?.resource === 'pods');
    expect(deletes.map((d) => d.user.username.split(':')[1])).toEqual(['serviceaccount', 'node']);
    const [graceful, final] = deletes as [AuditEvent, AuditEvent];
    expect(
      (graceful.responseObject as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp,
    ).toBeDefined();
    expect(final.requestObject).toMatchObject({
      gracePeriodSeconds: 0,
      preconditions: { uid: expect.any(String) },
    });
    expect((final.responseObject as { status: { podIP?: string } }).status.podIP).toBeDefined();
  });

  it('logs Endpoints with bodies, EndpointSlices as metadata only, and no kube-system endpoint updates', async () => {
    const { cluster, clock, events } = await settledEvents();
    const update = events.find((e) => e.objectRef?.resource === 'endpoints' && e.verb === 'update');
    expect(update?.level).toBe('RequestResponse');
    expect(update?.objectRef).toMatchObject({
      name: 'web',
      uid: expect.any(String),
      resourceVersion: expect.any(String),
    });
    expect((update?.responseObject as { subsets?: unknown[] } | undefined)?.subsets).toBeDefined();
    const slice = events.find((e) => e.objectRef?.resource === 'endpointslices');
    expect(slice).toMatchObject({ level: 'Metadata', objectRef: { apiGroup: 'discovery.k8s.io' } });
    expect(slice).not.toHaveProperty('requestObject');
    expect(slice).not.toHaveProperty('responseObject');

    cluster.apply(webManifests({ replicas: 1 }).replace(/namespace: default/g, 'namespace: kube-system'));
    await advanceUntilSettled(cluster, clock);
    const kubeSystem = cluster
      .auditEvents()
      .filter((e) => e.objectRef?.resource === 'endpoints' && e.objectRef.namespace === 'kube-system');
    expect(kubeSystem.map((e) => e.verb)).toEqual(['create']);
    expect(cluster.get('Endpoints', 'kube-system/web')).toBeDefined();
  });

  it('logs kubectl apply of an Ingress as create, then a patch of what changed', async () => {
    const { cluster } = testCluster();
    const ingress = (order: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: default, annotations: { alb.ingress.kubernetes.io/group.order: "${order}" } }
spec:
  ingressClassName: alb
  defaultBackend: { service: { name: web, port: { number: 80 } } }
`;
    expect(cluster.apply(ingress('1')).map((r) => r.action)).toEqual(['created']);
    expect(cluster.apply(ingress('1')).map((r) => r.action)).toEqual(['unchanged']);
    expect(cluster.apply(ingress('10')).map((r) => r.action)).toEqual(['configured']);
    const writes = cluster.auditEvents().filter((e) => e.objectRef?.resource === 'ingresses');
    expect(writes.map((e) => e.verb)).toEqual(['create', 'patch']);
    const patch = writes[1] as AuditEvent;
    expect(patch.requestURI).toBe(
      '/apis/networking.k8s.io/v1/namespaces/default/ingresses/web?fieldManager=kubectl-client-side-apply&fieldValidation=Strict',
    );
    expect(
      (patch.requestObject as { metadata: { annotations: Record<string, string> } }).metadata.annotations[
        'alb.ingress.kubernetes.io/group.order'
      ],
    ).toBe('10');
    expect(patch.requestObject).not.toHaveProperty('spec');
    expect(patch.responseObject).toMatchObject({ kind: 'Ingress', metadata: { generation: 1 } });
    const stored = cluster.get('Ingress', 'default/web');
    expect(Number(stored?.metadata.resourceVersion)).toBeGreaterThan(
      Number(
        (writes[0]?.responseObject as { metadata: { resourceVersion: string } } | undefined)?.metadata
          .resourceVersion,
      ),
    );
    expect(stored?.metadata.uid).toBe(
      (writes[0]?.responseObject as { metadata: { uid: string } } | undefined)?.metadata.uid,
    );
  });

  it('mixes in noise lines at the configured ratio', async () => {
    const { cluster, clock } = testCluster({ audit: { noise: 2 } });
    cluster.apply(webManifests({ replicas: 1 }));
    await advanceUntilSettled(cluster, clock);
    const { eventsWritten, noiseWritten } = cluster.snapshot().audit;
    expect(noiseWritten).toBe(eventsWritten * 2);
    const noise = cluster
      .auditEvents()
      .filter((e) => ['list', 'watch', 'get'].includes(e.verb) || e.responseStatus.code >= 300);
    expect(noise.length).toBeGreaterThan(0);
  });
});

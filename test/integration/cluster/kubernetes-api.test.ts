import {
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import { startLocalAws } from '../../../infra/local/aws/server.js';
import {
  advanceUntilSettled,
  createCluster,
  type KubernetesApiServer,
  type SimulatedCluster,
  serveKubernetesApi,
  stsTokenVerifier,
  type TokenVerifier,
} from '../../../infra/local/cluster/index.js';
import { createEksToken } from '../../../shared/aws/eks-token.js';
import { TOPOLOGY, webManifests } from '../../unit/cluster/fixtures.js';

const TOKEN = 'k8s-aws-v1.test-token';
const CALLER = 'arn:aws:sts::111122223333:assumed-role/slbc-resync/lambda';
const fakeVerifier: TokenVerifier = async (token) =>
  token === TOKEN ? { ok: true, arn: CALLER } : { ok: false, reason: 'unknown token' };

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: default, annotations: { alb.ingress.kubernetes.io/scheme: internet-facing } }
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`;

function client<T>(server: KubernetesApiServer, api: new (...args: never[]) => T, token = TOKEN): T {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'demo', server: server.url, skipTLSVerify: true }],
    users: [{ name: 'slbc', token }],
    contexts: [{ name: 'demo', cluster: 'demo', user: 'slbc' }],
    currentContext: 'demo',
  });
  return kc.makeApiClient(api as never) as T;
}

describe('the Kubernetes API through @kubernetes/client-node', () => {
  let cluster: SimulatedCluster;
  let server: KubernetesApiServer;

  beforeAll(async () => {
    const clock = virtualClock();
    cluster = createCluster({ clock, topology: TOPOLOGY, seed: 3 });
    cluster.apply(webManifests({ replicas: 2 }));
    cluster.apply(INGRESS);
    await advanceUntilSettled(cluster, clock);
    server = await serveKubernetesApi(cluster, { verifyToken: fakeVerifier });
  });
  afterAll(async () => {
    await server.stop();
    cluster.stop();
  });

  it('lists pods in all namespaces with their IPs', async () => {
    const list = await client(server, CoreV1Api).listPodForAllNamespaces();
    expect(list.items).toHaveLength(2);
    expect(list.metadata?.resourceVersion).toBe(cluster.resourceVersion());
    // from the private subnets 10.0.16.0/20 and 10.0.32.0/20
    for (const pod of list.items) expect(pod.status?.podIP).toMatch(/^10\.0\.(1[6-9]|2\d|3\d|4[0-7])\.\d+$/);
  });

  it('reads one Service and the Endpoints of a namespace', async () => {
    const core = client(server, CoreV1Api);
    const service = await core.readNamespacedService({ name: 'web', namespace: 'default' });
    expect(service.spec?.ports?.[0]?.nodePort).toBeGreaterThanOrEqual(30000);
    const endpoints = await core.listNamespacedEndpoints({ namespace: 'default' });
    expect(endpoints.items.map((e) => e.metadata?.name)).toEqual(['web']);
    expect(endpoints.items[0]?.subsets?.[0]?.addresses).toHaveLength(2);
  });

  it('lists ingresses and filters by label selector', async () => {
    const networking = client(server, NetworkingV1Api);
    const ingresses = await networking.listIngressForAllNamespaces();
    expect(ingresses.items.map((i) => i.metadata?.name)).toEqual(['web']);
    const pods = await client(server, CoreV1Api).listNamespacedPod({
      namespace: 'default',
      labelSelector: 'app=nope',
    });
    expect(pods.items).toHaveLength(0);
  });

  it('patches ingress status with a JSON patch (the client default) and a merge patch', async () => {
    const networking = client(server, NetworkingV1Api);
    const before = Number(cluster.resourceVersion());
    const hostname = 'k8s-default-web-0123456789-1.eu-west-1.elb.amazonaws.com';
    await networking.patchNamespacedIngressStatus({
      name: 'web',
      namespace: 'default',
      body: [{ op: 'add', path: '/status', value: { loadBalancer: { ingress: [{ hostname }] } } }],
    });
    expect(cluster.get('Ingress', 'default/web')?.status).toEqual({
      loadBalancer: { ingress: [{ hostname }] },
    });
    const patched = await networking.patchNamespacedIngressStatus(
      {
        name: 'web',
        namespace: 'default',
        body: { status: { loadBalancer: { ingress: [{ hostname: 'other.example' }] } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.status?.loadBalancer?.ingress?.[0]?.hostname).toBe('other.example');
    expect(Number(cluster.resourceVersion())).toBeGreaterThan(before);
    const audit = cluster
      .auditEvents()
      .filter((e) => e.objectRef?.subresource === 'status' && e.objectRef.resource === 'ingresses');
    expect(audit.at(-1)).toMatchObject({
      level: 'RequestResponse',
      verb: 'patch',
      user: { username: CALLER },
    });
  });

  it('answers 401 without a valid token and 404/405/422 as Status objects', async () => {
    await expect(
      client(server, CoreV1Api, 'k8s-aws-v1.wrong').listPodForAllNamespaces(),
    ).rejects.toMatchObject({ code: 401 });
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/merge-patch+json' };
    const cases = [
      { name: 'no token', path: '/api/v1/pods', init: {}, code: 401, reason: 'Unauthorized' },
      {
        name: 'unknown object',
        path: '/api/v1/namespaces/default/pods/nope',
        init: { headers },
        code: 404,
        reason: 'NotFound',
      },
      {
        name: 'unknown resource',
        path: '/api/v1/configmaps',
        init: { headers },
        code: 404,
        reason: 'NotFound',
      },
      {
        name: 'write to endpoints (kept by the cluster itself)',
        path: '/api/v1/namespaces/default/endpoints',
        init: { method: 'POST', headers, body: '{}' },
        code: 405,
        reason: 'MethodNotAllowed',
      },
      {
        name: 'bad status',
        path: '/api/v1/namespaces/default/services/web/status',
        init: {
          method: 'PATCH',
          headers,
          body: JSON.stringify({ status: { loadBalancer: { ingress: 'x' } } }),
        },
        code: 422,
        reason: 'Invalid',
      },
    ];
    for (const c of cases) {
      const response = await fetch(server.url + c.path, c.init);
      const body = (await response.json()) as { kind: string; reason: string; code: number };
      expect({ name: c.name, status: response.status, kind: body.kind, reason: body.reason }).toEqual({
        name: c.name,
        status: c.code,
        kind: 'Status',
        reason: c.reason,
      });
    }
  });
});

describe('stsTokenVerifier against the local STS endpoint', () => {
  it('accepts a token from createEksToken and refuses a non-STS URL', async () => {
    const aws = await startLocalAws({ topology: TOPOLOGY });
    try {
      const verify = stsTokenVerifier({ stsEndpointUrl: aws.url, clusterName: 'demo' });
      const token = await createEksToken({
        clusterName: 'demo',
        region: TOPOLOGY.region,
        endpoint: aws.url,
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
      });
      const verdict = await verify(token);
      expect(verdict).toMatchObject({ ok: true });
      expect(verdict.arn).toMatch(/^arn:aws:sts::111122223333:assumed-role\//);
      const forged = `k8s-aws-v1.${Buffer.from('https://evil.example.com/?Action=GetCallerIdentity').toString('base64url')}`;
      expect(await verify(forged)).toMatchObject({ ok: false });
    } finally {
      await aws.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import {
  createCluster,
  type KubernetesApiServer,
  type SimulatedCluster,
  serveKubernetesApi,
  type TokenVerifier,
} from '../../../infra/local/cluster/index.js';
import { createKubeApi } from '../../../shared/kube/kube-api.js';
import { TOPOLOGY } from '../../unit/cluster/fixtures.js';

/**
 * KubeApi.getClusterObject against the simulated API: the LBC's IngressClassParams
 * (elbv2.k8s.aws/v1beta1) and Namespaces by name, undefined for one that does not exist.
 */
const TOKEN = 'k8s-aws-v1.test-token';
const verifyToken: TokenVerifier = async (token) =>
  token === TOKEN
    ? { ok: true, arn: 'arn:aws:sts::111122223333:assumed-role/slbc-stacks/lambda' }
    : { ok: false, reason: 'unknown token' };

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: shop } }
---
apiVersion: elbv2.k8s.aws/v1beta1
kind: IngressClassParams
metadata: { name: team-params }
spec:
  namespaceSelector: { matchLabels: { team: shop } }
  group: { name: shared }
`;

describe('cluster-scoped objects through KubeApi.getClusterObject', () => {
  let cluster: SimulatedCluster;
  let server: KubernetesApiServer;

  beforeAll(async () => {
    cluster = createCluster({ clock: virtualClock(), topology: TOPOLOGY, seed: 3 });
    cluster.apply(MANIFESTS);
    server = await serveKubernetesApi(cluster, { verifyToken });
  });
  afterAll(async () => {
    await server.stop();
    cluster.stop();
  });

  it.each([
    ['IngressClassParams', 'team-params', { group: { name: 'shared' } }],
    ['Namespace', 'shop', { labels: { team: 'shop' } }],
    ['IngressClassParams', 'nobody', undefined],
    ['Namespace', 'nowhere', undefined],
  ] as const)('%s %s', async (kind, name, expected) => {
    const api = createKubeApi({ server: server.url, token: TOKEN });
    const object = await api.getClusterObject?.(kind, name);
    expect(api.getClusterObject).toBeTypeOf('function');
    if (expected === undefined) expect(object).toBeUndefined();
    else if ('group' in expected) expect(object?.['spec']).toMatchObject(expected);
    else expect(object?.['metadata']).toMatchObject(expected);
  });
});

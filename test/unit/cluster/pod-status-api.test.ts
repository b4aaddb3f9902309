/**
 * pods/status PATCH over HTTP, as a readiness-gate controller sends it: a strategic-merge
 * patch of one condition, merged by type, audited with the patch as the request object; bad
 * conditions get a 422 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceUntilSettled,
  type KubernetesApiServer,
  type SimulatedCluster,
  serveKubernetesApi,
} from '../../../infra/local/cluster/index.js';
import type { Pod } from '../../../infra/local/cluster/objects.js';
import { podsOf, testCluster } from './fixtures.js';

const TOKEN = 'k8s-aws-v1.gate-controller';
const CALLER = 'arn:aws:sts::111122223333:assumed-role/slbc-targets/lambda';
const GATE = 'slbc.k8s.aws/target-health';

const GATED = `
apiVersion: v1
kind: Pod
metadata: { name: gated, namespace: default, labels: { app: gated } }
spec:
  readinessGates: [{ conditionType: ${GATE} }]
  containers: [{ name: web, image: web, ports: [{ containerPort: 8080 }] }]
`;

describe('PATCH pods/<name>/status', () => {
  let cluster: SimulatedCluster;
  let server: KubernetesApiServer;
  let advance: () => Promise<void>;

  beforeAll(async () => {
    const made = testCluster({ nodes: 1 });
    cluster = made.cluster;
    advance = async () => {
      await advanceUntilSettled(made.cluster, made.clock);
    };
    cluster.apply(GATED);
    await advance();
    server = await serveKubernetesApi(cluster, {
      port: 0,
      verifyToken: async (token) => (token === TOKEN ? { ok: true, arn: CALLER } : { ok: false }),
    });
  });
  afterAll(() => server.stop());

  const patch = (body: unknown, contentType = 'application/strategic-merge-patch+json') =>
    fetch(`${server.url}/api/v1/namespaces/default/pods/gated/status`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
      body: JSON.stringify(body),
    });
  const ready = () => (podsOf(cluster)[0] as Pod).status.conditions?.find((c) => c.type === 'Ready')?.status;

  it('sets the gate condition, keeps the kubelet conditions, and the pod turns Ready', async () => {
    expect(ready()).toBe('False');
    const body = { status: { conditions: [{ type: GATE, status: 'True', reason: 'TargetHealthy' }] } };
    const response = await patch(body);
    expect(response.status).toBe(200);
    const stored = (await response.json()) as Pod & { kind: string };
    expect(stored.kind).toBe('Pod');
    expect(stored.status.conditions?.map((c) => c.type)).toEqual([
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
      GATE,
    ]);
    await advance();
    expect(ready()).toBe('True');
    const line = cluster
      .auditEvents()
      .find((e) => e.objectRef?.subresource === 'status' && e.user.username === CALLER);
    expect(line).toMatchObject({ verb: 'patch', level: 'RequestResponse', requestObject: body });
    expect(line?.objectRef).toMatchObject({ resource: 'pods', name: 'gated', namespace: 'default' });
  });

  // the index is the condition's place in the merged list, as the API server reports it
  it.each([
    [{ status: { conditions: [{ type: GATE, status: 'Yes' }] } }, 'status.conditions[5].status'],
    [{ status: { conditions: [{ status: 'True' }] } }, 'status.conditions[6].type'],
  ])('refuses %j with 422 naming %s', async (body, field) => {
    const response = await patch(body);
    const status = (await response.json()) as { reason: string; message: string };
    expect({ code: response.status, reason: status.reason }).toEqual({ code: 422, reason: 'Invalid' });
    expect(status.message).toContain(`Pod "gated" is invalid: ${field}:`);
  });
});

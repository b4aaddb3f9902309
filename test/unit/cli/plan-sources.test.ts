import { describe, expect, it } from 'vitest';
import { demoManifests } from '../../../infra/cli/demo.js';
import { stackKeysOf } from '../../../infra/cli/plan.js';
import { kubeconfigContext, memoryObjects, objectsOfYaml } from '../../../infra/cli/plan-sources.js';

describe('objectsOfYaml', () => {
  it('keeps Ingresses, IngressClasses and Services of the demo, trimmed, namespaces kept', () => {
    const objects = objectsOfYaml(demoManifests(), 'demo.yaml');
    expect(
      objects.map(
        (object) =>
          `${(object as { kind?: string }).kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`,
      ),
    ).toEqual([
      'Service demo/echo',
      'IngressClass /alb',
      'Service demo/shop',
      'Service demo/api',
      'Ingress demo/shop',
      'Ingress demo/api',
    ]);
  });

  it('puts a namespaced object without a namespace into default, as kubectl does', () => {
    const [service] = objectsOfYaml(
      'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { type: LoadBalancer }\n',
      'f',
    );
    expect(service?.metadata.namespace).toBe('default');
  });

  it.each([
    [
      'a wrong apiVersion',
      'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: { name: x }\nspec: {}\n',
      /f: document 1 \(Ingress\): apiVersion extensions\/v1beta1 is not one slbc reads/,
    ],
    [
      'a field of the wrong type',
      'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { ports: 80 }\n',
      /Service web: field spec\.ports/,
    ],
    ['a scalar document', 'just text\n', /f: document 1 is not a Kubernetes object/],
  ])('%s fails naming the object and field', (_name, text, message) => {
    expect(() => objectsOfYaml(text, 'f')).toThrow(message);
  });
});

describe('kubeconfigContext', () => {
  const config = (cluster: string, user: string) => `
apiVersion: v1
kind: Config
current-context: c
contexts: [{ name: c, context: { cluster: ${cluster}, user: u } }]
clusters: [{ name: ${cluster}, cluster: { server: https://k.example, certificate-authority-data: Q0E= } }]
users: [{ name: u, user: ${user} }]
`;
  it.each([
    ['an EKS ARN gives the cluster name', 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', 'prod'],
    ['the local kubeconfig gives its cluster', 'slbc-local-demo', 'demo'],
    ['any other name is kept', 'kind-dev', 'kind-dev'],
  ])('%s', (_name, cluster, expected) => {
    const context = kubeconfigContext(config(cluster, '{ token: t0k }'), 'k');
    expect(context).toEqual({
      clusterName: expected,
      target: { server: 'https://k.example', token: 't0k', caData: 'Q0E=' },
    });
  });

  it('runs the exec plugin for a token (aws eks get-token)', () => {
    const context = kubeconfigContext(
      config('c1', '{ exec: { command: aws, args: [eks, get-token] } }'),
      'k',
      (exec) => `${exec.command}-token`,
    );
    expect(context.target.token).toBe('aws-token');
  });

  it('fails naming the missing context', () => {
    expect(() => kubeconfigContext('current-context: nope\n', 'kubeconfig k')).toThrow(
      'kubeconfig k: current-context "nope" not found',
    );
  });
});

describe('stackKeysOf', () => {
  it('an Ingress group and a LoadBalancer Service from the objects, and a stack only AWS still holds', async () => {
    const objects = objectsOfYaml(demoManifests(), 'demo.yaml');
    const keys = await stackKeysOf('demo', objects, { ingressClass: 'alb' }, [
      { 'elbv2.k8s.aws/cluster': 'demo', 'service.k8s.aws/stack': 'old/gone' },
      { 'elbv2.k8s.aws/cluster': 'other', 'ingress.k8s.aws/stack': 'theirs' },
    ]);
    expect(keys).toEqual([
      'stack#demo#ingress/demo',
      'stack#demo#service/demo/echo',
      'stack#demo#service/old/gone',
    ]);
  });
});

describe('memoryObjects', () => {
  it('answers as the mirror would, for its cluster only', async () => {
    const source = memoryObjects('demo', objectsOfYaml(demoManifests(), 'demo.yaml'));
    expect((await source.listObjects('demo', 'Service', 'demo')).map((s) => s.metadata.name)).toEqual([
      'echo',
      'shop',
      'api',
    ]);
    expect(await source.listObjects('other', 'Service')).toEqual([]);
    expect((await source.getObject('demo', 'Ingress', 'demo', 'api'))?.metadata.name).toBe('api');
    expect(await source.getObject('demo', 'Ingress', 'demo', 'nope')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../infra/local/cluster/manifest.js';
import { InvalidInputError } from '../../../shared/errors.js';
import { testCluster, webManifests } from './fixtures.js';

const deployment = (spec: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
${spec}`;
const template = `
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080 }] }]`;

describe('manifest validation', () => {
  const cases = [
    { name: 'bad YAML', input: 'kind: [unclosed', want: 'manifest document 1: invalid YAML' },
    {
      name: 'missing metadata.name',
      input: 'apiVersion: v1\nkind: Service\nmetadata: {}\nspec: { ports: [{ port: 80 }] }',
      want: 'Service default/<unnamed>: metadata.name: is required',
    },
    {
      name: 'unknown kind',
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }',
      want: 'ConfigMap x: kind: unknown or unsupported kind',
    },
    {
      name: 'wrong apiVersion',
      input: 'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: { name: web }',
      want: 'Ingress default/web: apiVersion: must be networking.k8s.io/v1',
    },
    {
      name: 'upper-case name',
      input: 'apiVersion: v1\nkind: Namespace\nmetadata: { name: Team }',
      want: 'Namespace Team: metadata.name: must be lowercase',
    },
    {
      name: 'selector mismatch',
      input: deployment(template.replace('matchLabels: { app: web }', 'matchLabels: { app: api }')),
      want: 'Deployment default/web: spec.template.metadata.labels: does not match spec.selector.matchLabels (app=api)',
    },
    {
      name: 'container port out of range',
      input: deployment(template.replace('8080', '70000')),
      want: 'Deployment default/web: spec.template.spec.containers[0].ports[0].containerPort: must be between 1 and 65535',
    },
    {
      name: 'no containers',
      input: deployment(template.replace(/containers: .*$/m, 'containers: []')),
      want: 'spec.template.spec.containers: needs at least one container',
    },
    {
      name: 'bad maxSurge',
      input: deployment(`  strategy: { rollingUpdate: { maxSurge: lots } }${template}`),
      want: 'spec.strategy.rollingUpdate.maxSurge: must be an integer or a percentage',
    },
    {
      name: 'both zero',
      input: deployment(`  strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }${template}`),
      want: 'maxSurge and maxUnavailable may not both be 0',
    },
    {
      name: 'service port 0',
      input: 'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 0 }] }',
      want: 'Service default/s: spec.ports[0].port: must be between 1 and 65535',
    },
    {
      name: 'unnamed second port',
      input:
        'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 80, name: http }, { port: 443 }] }',
      want: 'spec.ports[1].name: is required when a Service has more than one port',
    },
    {
      name: 'bad nodePort',
      input:
        'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { type: NodePort, ports: [{ port: 80, nodePort: 80 }] }',
      want: 'spec.ports[0].nodePort: must be in 30000-32767',
    },
    {
      name: 'ingress backend port both',
      input:
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: i }\nspec: { defaultBackend: { service: { name: web, port: { number: 80, name: http } } } }',
      want: 'spec.defaultBackend.service.port: set exactly one of number and name',
    },
    {
      name: 'bad pathType',
      input:
        'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: i }\nspec: { rules: [{ http: { paths: [{ path: /, pathType: Glob, backend: {} }] } }] }',
      want: 'spec.rules[0].http.paths[0].pathType: must be Exact, Prefix or ImplementationSpecific',
    },
    {
      name: 'namespace on a cluster-scoped kind',
      input:
        'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: alb, namespace: default }',
      want: 'IngressClass alb: metadata.namespace: IngressClass is cluster-scoped',
    },
  ];
  for (const c of cases)
    it(`rejects ${c.name}`, () => {
      let error: unknown;
      try {
        parseManifests(c.input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as Error).message).toContain(c.want);
    });

  it('names the object and the field in the error subject', () => {
    try {
      parseManifests(deployment(template.replace('8080', '0')));
      expect.unreachable();
    } catch (error) {
      expect((error as InvalidInputError).subject).toEqual({
        kind: 'Deployment',
        name: 'default/web',
        field: 'spec.template.spec.containers[0].ports[0].containerPort',
      });
    }
  });

  it('reads multi-document YAML, Lists and objects, filling the default namespace', () => {
    const objects = parseManifests(
      `${webManifests()}\n---\napiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: Namespace, metadata: { name: team } }\n---\n`,
    );
    expect(objects.map((o) => `${o.kind}:${o.metadata.namespace ?? ''}`)).toEqual([
      'Deployment:default',
      'Service:default',
      'Namespace:',
    ]);
    expect(parseManifests({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } })).toHaveLength(1);
  });

  it('applies nothing when one document is bad, and refuses unknown namespaces', () => {
    const { cluster } = testCluster();
    expect(() =>
      cluster.apply(
        `${webManifests()}\n---\napiVersion: v1\nkind: Service\nmetadata: { name: bad }\nspec: { ports: [{ port: 99999 }] }`,
      ),
    ).toThrow(/spec.ports\[0\].port/);
    expect(cluster.list('Deployment')).toHaveLength(0);
    expect(() => cluster.apply(webManifests().replace(/namespace: default/g, 'namespace: team'))).toThrow(
      'metadata.namespace: namespace "team" not found',
    );
    expect(
      cluster
        .apply(
          `apiVersion: v1\nkind: Namespace\nmetadata: { name: team }\n---\n${webManifests().replace(/namespace: default/g, 'namespace: team')}`,
        )
        .map((r) => r.key),
    ).toEqual(['team', 'team/web', 'team/web']);
  });
});

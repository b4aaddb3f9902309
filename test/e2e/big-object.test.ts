/**
 * Objects too big for the bus (EventBridge takes 256 KB an entry) go out as `needsResync`; the
 * consumer fetches them from the Kubernetes API. One over the bus budget but within the mirror's
 * one-item limit is built like any other; one over that limit (a 2 MB annotation) is one clear
 * error naming the object and the annotation, never a silent "converged" with nothing built.
 * The manifests are generated here: no multi-megabyte file is committed.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../infra/local/scenario/index.js';
import { E2E_TIMEOUT_MS, scenariosDir, TIME_SCALE } from './helpers.js';

const BLOB = 'example.com/blob';
const FIELD = `metadata.annotations["${BLOB}"]`;
/**
 * With kubectl's last-applied copy beside it (~300 KB in all): over the 256 KB bus budget, under
 * the mirror's 380 KB item limit
 */
const MEDIUM = 'm'.repeat(150 * 1024);
/** over both */
const HUGE = 'h'.repeat(2 * 1024 * 1024);

const ingress = (name: string, blob: string) => `
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: ${name}
        namespace: default
        annotations:
          alb.ingress.kubernetes.io/target-type: ip
          ${BLOB}: ${blob}
      spec:
        ingressClassName: alb
        rules:
          - http:
              paths: [ { path: /${name}, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } } ]`;

const deployment = (name: string, podAnnotations: string) => `
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: ${name}, namespace: default }
      spec:
        replicas: 2
        selector: { matchLabels: { app: ${name} } }
        template:
          metadata:
            labels: { app: ${name} }
            annotations: { ${podAnnotations} }
          spec: { containers: [ { name: ${name}, image: ${name}, ports: [ { name: http, containerPort: 8080 } ] } ] }`;

const service = (name: string, annotations: string) => `
      apiVersion: v1
      kind: Service
      metadata:
        name: ${name}
        namespace: default
        annotations: { service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip${annotations} }
      spec: { type: LoadBalancer, selector: { app: ${name} }, ports: [ { port: 80, targetPort: http } ] }`;

const scenario = `
name: big-object
steps:
  - apply: |
      apiVersion: networking.k8s.io/v1
      kind: IngressClass
      metadata: { name: alb }
      spec: { controller: ingress.k8s.aws/alb }
      ---${deployment('web', '')}
      ---
      apiVersion: v1
      kind: Service
      metadata: { name: web, namespace: default }
      spec: { selector: { app: web }, ports: [ { port: 80, targetPort: http } ] }
      ---${ingress('medium', MEDIUM)}
      ---${ingress('huge', HUGE)}
      ---${service('big-nlb', `, ${BLOB}: ${MEDIUM}`)}
      ---${deployment('big-nlb', `${BLOB}: ${HUGE}`)}
`;

describe('e2e: objects over the bus budget', () => {
  it(
    'within the item limit: built; over it (2 MB): one error naming the object and annotation',
    async () => {
      const report = await runScenario(
        parseScenario(scenario, { baseDir: scenariosDir, source: 'big-object' }),
        {
          timeScale: TIME_SCALE,
          settleTimeoutMs: 60_000,
        },
      );
      const errors = report.errors.map((error) => ({
        kind: error.kind,
        name: error.name,
        field: error.field,
      }));
      // the 2 MB Ingress only: one error naming it and the annotation; the pods carrying 2 MB
      // each (trimmed for the bus, fetched when over it) are registered like any other
      expect(errors).toEqual([{ kind: 'Ingress', name: 'huge', field: FIELD }]);
      for (const error of report.errors) expect(error.message).toMatch(/over slbc's .*-byte object limit/);

      // built: the medium Ingress's ALB and the NLB whose Service is over the bus budget
      const stacks = report.loadBalancers.map(
        (lb) => lb.tags['ingress.k8s.aws/stack'] ?? lb.tags['service.k8s.aws/stack'],
      );
      expect(stacks.sort()).toEqual(['default/big-nlb', 'default/medium']);
      expect(report.status['Ingress/default/medium']).toMatch(/elb/);
      expect(report.status['Ingress/default/huge']).toBeUndefined();
      expect(report.converged, report.differences.join('; ')).toBe(true);
      // two pods each behind the medium Ingress's group and the NLB
      expect(
        report.targetGroups.map((group) => [group.name.split('-')[2], group.targets.length]).sort(),
      ).toEqual([
        ['bignlb', 2],
        ['web', 2],
      ]);
    },
    E2E_TIMEOUT_MS,
  );
});

import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, notConverged, runNamed } from './helpers.js';

const WARNING = {
  metadata: { name: 'echo.1' },
  type: 'Warning',
  reason: 'FailedDeployModel',
  note: 'load balancer theirs is not ours',
  regarding: { kind: 'Service', namespace: 'default', name: 'echo' },
  eventTime: '2026-12-05T08:00:00.000000Z',
  reportingController: 'slbc.k8s.aws/stacks',
  reportingInstance: 'stacks',
  action: 'Reconcile',
};

describe('e2e: resources slbc did not make', () => {
  it(
    'an ALB made by an aws step is reported as foreign, untouched, beside slbc NLB; Events written to the cluster are listed',
    async () => {
      // an Event written through the cluster's API, as the stacks function will write them
      const report = await runNamed('foreign-alb', {
        afterStep: async (step, system) => {
          if (step.index !== 2) return;
          const response = await fetch(
            `${system.kubernetesUrl}/apis/events.k8s.io/v1/namespaces/default/events`,
            {
              method: 'POST',
              headers: {
                authorization: `Bearer ${system.kubernetesToken}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify(WARNING),
            },
          );
          expect(response.status).toBe(201);
        },
      });
      expect(report.converged, notConverged(report)).toBe(true);
      expect(report.loadBalancers.map((lb) => [lb.name, lb.type, lb.foreign])).toEqual([
        [expect.stringMatching(/^k8s-default-echo-/), 'network', false],
        ['theirs', 'application', true],
      ]);
      const theirs = report.loadBalancers.find((lb) => lb.name === 'theirs');
      expect(theirs).toMatchObject({ scheme: 'internal', tags: {}, listeners: [] });
      const [create, notFound] = report.steps;
      expect(create?.aws).toMatchObject({
        service: 'elbv2',
        action: 'CreateLoadBalancer',
        output: { LoadBalancers: [{ LoadBalancerName: 'theirs', Type: 'application' }] },
      });
      expect(create?.elbv2).toMatchObject({ CreateLoadBalancer: 1 });
      expect(notFound?.aws).toMatchObject({ error: { code: 'LoadBalancerNotFound' } });
      expect(report.targetGroups.map((group) => group.foreign)).toEqual([false]);
      // the Warning the scenario wrote through the API, beside slbc's own Normal for the Service
      expect(report.kubeEvents.filter((event) => event.type === 'Warning')).toEqual([
        {
          type: 'Warning',
          reason: 'FailedDeployModel',
          message: 'load balancer theirs is not ours',
          involvedObject: { kind: 'Service', namespace: 'default', name: 'echo' },
          count: 1,
        },
      ]);
      expect(
        report.kubeEvents.filter((event) => event.type === 'Normal').map((event) => event.reason),
      ).toEqual(['SuccessfullyReconciled']);
    },
    E2E_TIMEOUT_MS,
  );
});

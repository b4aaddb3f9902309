import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT_MS, notConverged, runNamed } from './helpers.js';

describe('e2e: resources slbc did not make', () => {
  it(
    'an ALB made by an aws step is reported as foreign, untouched, beside slbc NLB',
    async () => {
      const report = await runNamed('foreign-alb');
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
    },
    E2E_TIMEOUT_MS,
  );
});

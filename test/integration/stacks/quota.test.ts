import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeEvent, type Harness, startHarness } from './harness.js';

/**
 * The ALB rule quota (100 per load balancer, which the local endpoint enforces): members that do
 * not fit after the ones before them in group order are refused with an error naming them, the
 * rest are applied, and a refused member gets in once room is freed.
 */
vi.setConfig({ testTimeout: 180_000 });

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.aws.services.elbv2.setHealthProbe(() => true);
});
afterEach(async () => h.stop());

const PATHS_PER_MEMBER = 40;

const svc = (name: string) => ({
  metadata: { name, namespace: 'shop' },
  spec: { type: 'ClusterIP', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
});

/** One Ingress with 40 Exact paths (one rule each) to its own Service, at `order` in the group. */
const member = (name: string, order: number) => ({
  metadata: {
    name,
    namespace: 'shop',
    annotations: {
      'kubernetes.io/ingress.class': 'alb',
      'alb.ingress.kubernetes.io/group.name': 'shop',
      'alb.ingress.kubernetes.io/group.order': String(order),
      'alb.ingress.kubernetes.io/target-type': 'ip',
    },
  },
  spec: {
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: Array.from({ length: PATHS_PER_MEMBER }, (_, index) => ({
            path: `/${name}/${index}`,
            pathType: 'Exact',
            backend: { service: { name, port: { number: 80 } } },
          })),
        },
      },
    ],
  },
});

/** How many rules the ALB holds per member (a path's first segment names its member). */
async function rulesByMember(): Promise<Record<string, number>> {
  const [lb] = (await h.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  const [listener] =
    (await h.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ??
    [];
  const counts: Record<string, number> = {};
  let marker: string | undefined;
  do {
    const page = await h.elbv2.send(
      new DescribeRulesCommand({ ListenerArn: listener?.ListenerArn, ...(marker ? { Marker: marker } : {}) }),
    );
    for (const rule of page.Rules ?? []) {
      if (rule.IsDefault) continue;
      const path =
        rule.Conditions?.find((c) => c.Field === 'path-pattern')?.PathPatternConfig?.Values?.[0] ?? '';
      const owner = path.split('/')[1] ?? '';
      counts[owner] = (counts[owner] ?? 0) + 1;
    }
    marker = page.NextMarker;
  } while (marker);
  return counts;
}

describe('the rule quota on the local endpoint', () => {
  it('refuses the member that does not fit, applies the rest, and lets it in once another member leaves', async () => {
    for (const name of ['first', 'second', 'third']) await h.deliver(changeEvent('Service', svc(name)));
    await h.deliver(changeEvent('Ingress', member('first', 1)));
    await h.deliver(changeEvent('Ingress', member('second', 2)));
    // 40 + 40 rules are in; the third member's 40 would make 120 of the 100 allowed
    await h.deliver(changeEvent('Ingress', member('third', 3)));

    expect(await rulesByMember()).toEqual({ first: PATHS_PER_MEMBER, second: PATHS_PER_MEMBER });
    expect(await h.deps.state.errors.list('demo')).toEqual([
      expect.objectContaining({
        kind: 'Ingress',
        namespace: 'shop',
        name: 'third',
        message: expect.stringMatching(/needs 40 listener rule\(s\) but only 20 .* 100 remain/),
      }),
    ]);

    // a quiet pass with the refusal standing mutates nothing: nothing retries against the quota
    const before = h.aws.counters.snapshot();
    await h.deliver(changeEvent('Ingress', member('third', 3)));
    expect(h.aws.counters.snapshot().elbv2Mutations - before.elbv2Mutations).toBe(0);

    await h.deliver(changeEvent('Ingress', member('second', 2), 'delete'));
    expect(await rulesByMember()).toEqual({ first: PATHS_PER_MEMBER, third: PATHS_PER_MEMBER });
    expect(await h.deps.state.errors.list('demo')).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { albDemo, demoManifests, nlbDemo } from '../../../infra/cli/demo.js';
import { startLocalSystem } from '../../../infra/local/runtime/index.js';
import type { LocalSystem, TargetGroupView, TopologyView } from '../../../infra/local/runtime/system.js';

/**
 * The whole system on the local pieces: the demo applied to the simulated cluster must end as
 * load balancers, rules and registered, healthy targets in the local ELBv2, with no hand in
 * between but serverless.yml's wiring.
 */
const groupsOf = (view: TopologyView): TargetGroupView[] =>
  view.loadBalancers.flatMap((balancer) =>
    balancer.listeners.flatMap((listener) => listener.rules.flatMap((rule) => rule.targetGroups)),
  );

const podIps = (system: LocalSystem, app: string): string[] =>
  (
    system.cluster.list('Pod', 'demo') as unknown as {
      metadata: { labels?: Record<string, string> };
      status?: { podIP?: string };
    }[]
  )
    .filter((pod) => pod.metadata.labels?.['app'] === app && pod.status?.podIP)
    .map((pod) => pod.status?.podIP ?? '')
    .sort();

async function untilHealthy(system: LocalSystem, timeoutMs: number): Promise<TopologyView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await system.topology();
    const targets = groupsOf(view).flatMap((group) => group.targets);
    if (
      (targets.length > 0 && targets.every((target) => target.state === 'healthy')) ||
      Date.now() > deadline
    )
      return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the local system runs the ALB half of the demo', () => {
  let system: LocalSystem;
  let convergedRightAfterApply: boolean;

  beforeAll(async () => {
    system = await startLocalSystem({ seed: 3 });
    system.apply(albDemo());
    convergedRightAfterApply = await system.converged();
    expect(await system.settle({ timeoutMs: 40_000 })).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('is not converged while work is pending, and converged once settled', async () => {
    expect(convergedRightAfterApply).toBe(false);
    const report = await system.convergence();
    expect(report.differences).toEqual([]);
    expect(report.converged).toBe(true);
  });

  it('builds one ALB with a rule per app, each forwarding to its pods on 8080, healthy', async () => {
    const view = await untilHealthy(system, 20_000);
    expect(view.loadBalancers).toHaveLength(1);
    const [alb] = view.loadBalancers;
    expect(alb?.type).toBe('application');
    const rules = alb?.listeners.flatMap((listener) => listener.rules) ?? [];
    const shop = rules.find((rule) =>
      rule.conditions.some((condition) => condition.includes('shop.example.com')),
    );
    const api = rules.find((rule) =>
      rule.conditions.some((condition) => condition.includes('api.example.com')),
    );
    expect(api?.conditions.join(' ')).toContain('/v1');
    for (const [rule, app] of [
      [shop, 'shop'],
      [api, 'api'],
    ] as const) {
      const targets = rule?.targetGroups.flatMap((group) => group.targets) ?? [];
      expect(targets.map((target) => target.id).sort()).toEqual(podIps(system, app));
      expect(new Set(targets.map((target) => target.port))).toEqual(new Set([8080]));
      expect(targets.every((target) => target.state === 'healthy')).toBe(true);
    }
  });

  it('writes the ALB hostname into both Ingresses status', async () => {
    const view = await system.topology();
    const dns = view.loadBalancers[0]?.dnsName;
    expect(dns).toBeTruthy();
    const ingresses = view.statuses.filter((status) => status.kind === 'Ingress');
    expect(ingresses.map((status) => status.key).sort()).toEqual(['demo/api', 'demo/shop']);
    for (const status of ingresses) expect(status.hostnames).toEqual([dns]);
  });

  it('counts what it did: audit lines, bus events, invocations, ELBv2 calls, DynamoDB units, latency', async () => {
    const counters = await system.counters();
    expect(counters.audit.delivered).toBe(counters.audit.written);
    expect(counters.bus.events).toBeGreaterThan(0);
    expect(counters.invocations['ingest']).toBeGreaterThan(0);
    expect(counters.invocations['stacks']).toBeGreaterThan(0);
    expect(counters.elbv2['CreateLoadBalancer']).toBe(1);
    expect(counters.dynamodb.writeUnits).toBeGreaterThan(0);
    expect(counters.readyToRegisteredMs).toHaveLength(4);
    expect(system.failedInvocations()).toEqual([]);
  });

  it('scales: a new pod is registered and converged again', async () => {
    system.cluster.scale('demo/shop', 3);
    expect(await system.settle({ timeoutMs: 30_000 })).toBe(true);
    expect((await system.convergence()).differences).toEqual([]);
    const view = await system.topology();
    const shop = groupsOf(view).find((group) => group.name.includes('shop'));
    expect(
      shop?.targets
        .filter((target) => target.state !== 'draining')
        .map((target) => target.id)
        .sort(),
    ).toEqual(podIps(system, 'shop'));
  });
});

describe('the local system runs the NLB half of the demo', () => {
  let system: LocalSystem;

  beforeAll(async () => {
    system = await startLocalSystem({ seed: 5 });
    system.apply(nlbDemo());
    await system.settle({ timeoutMs: 40_000 });
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('builds an NLB whose target group holds the pod IPs on 8080, healthy, and sets the Service hostname', async () => {
    const view = await untilHealthy(system, 20_000);
    const nlb = view.loadBalancers.find((balancer) => balancer.type === 'network');
    expect(nlb, JSON.stringify((await system.convergence()).differences)).toBeDefined();
    const targets = groupsOf(view).flatMap((group) => group.targets);
    expect(targets.map((target) => target.id).sort()).toEqual(podIps(system, 'echo'));
    expect(targets.every((target) => target.port === 8080 && target.state === 'healthy')).toBe(true);
    expect(view.statuses.find((status) => status.key === 'demo/echo')?.hostnames).toEqual([nlb?.dnsName]);
    expect(await system.converged()).toBe(true);
  });
});

describe('crash chaos', () => {
  it('functions that die after their first write are retried, and the system still converges', async () => {
    const system = await startLocalSystem({ seed: 11, timeScale: 60, chaos: { crash: 0.3 } });
    try {
      system.apply(albDemo());
      expect(await system.settle({ timeoutMs: 50_000 })).toBe(true);
      const counters = await system.counters();
      expect(counters.crashes).toBeGreaterThan(0);
      expect((await system.convergence()).differences).toEqual([]);
      expect(await system.converged()).toBe(true);
    } finally {
      await system.stop();
    }
  }, 80_000);
});

describe('the demo as `slbc local` applies it', () => {
  it('parses into the NLB Service, its Deployment, the IngressClass and two Ingresses in one group', () => {
    const system = demoManifests();
    expect(system).toContain('service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip');
    expect(system.match(/^kind: Namespace$/gm)).toHaveLength(1);
    expect(system.match(/^kind: Ingress$/gm)).toHaveLength(2);
  });
});

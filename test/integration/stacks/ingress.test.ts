import {
  CreateLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processEvent } from '../../../shared/reconcile/stacks/process.js';
import { changeEvent, type Harness, startHarness } from './harness.js';

vi.setConfig({ testTimeout: 180_000 });

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.aws.services.elbv2.setHealthProbe(() => true);
});
afterEach(async () => h.stop());

const svc = (name: string) => ({
  metadata: { name, namespace: 'shop' },
  spec: {
    type: 'ClusterIP',
    selector: { app: name },
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
  },
});

const ingress = (name: string, paths: string[], annotations: Record<string, string> = {}) => ({
  metadata: {
    name,
    namespace: 'shop',
    annotations: {
      'kubernetes.io/ingress.class': 'alb',
      'alb.ingress.kubernetes.io/group.name': 'shop',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      ...annotations,
    },
  },
  spec: {
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: paths.map((path) => ({
            path,
            pathType: 'Prefix',
            backend: { service: { name: path.slice(1) || 'root', port: { number: 80 } } },
          })),
        },
      },
    ],
  },
});

async function loadBalancer(name?: string) {
  const all = (await h.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  return name === undefined ? all : all.filter((lb) => lb.LoadBalancerName === name);
}

/**
 * Every path answers 200 from a forward, asked after every single AWS call of `during`. Fails
 * when there was nothing to probe (no load balancer yet, or `during` made no AWS call), so a
 * broken setup cannot pass as "never 404".
 */
async function neverNotFound(paths: string[], during: () => Promise<unknown>): Promise<number> {
  const lbArn = (await loadBalancer())[0]?.LoadBalancerArn ?? '';
  expect(lbArn, 'a load balancer to probe').not.toBe('');
  let probes = 0;
  const failures: string[] = [];
  h.afterEachCall.hook = async (action) => {
    await h.registerTargets();
    for (const path of paths) {
      const answer = h.aws.services.elbv2.route({
        loadBalancerArn: lbArn,
        port: 80,
        host: 'shop.example.com',
        path,
      });
      probes += 1;
      if (answer.status === 404 || answer.status === 503)
        failures.push(`${path} -> ${answer.status} after ${action}`);
    }
  };
  await during();
  h.afterEachCall.hook = undefined;
  expect(failures).toEqual([]);
  expect(probes, 'probes made during the change').toBeGreaterThan(0);
  return probes;
}

async function setup(paths: string[]) {
  for (const path of paths) await h.deliver(changeEvent('Service', svc(path.slice(1))));
  await h.deliver(changeEvent('Ingress', ingress('front', paths)));
  await h.registerTargets();
  h.advance(120_000);
}

async function rulePaths(): Promise<string[]> {
  const lb = (await loadBalancer())[0];
  const listener = (
    await h.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))
  ).Listeners?.[0];
  const rules =
    (await h.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener?.ListenerArn }))).Rules ?? [];
  return rules
    .filter((rule) => !rule.IsDefault)
    .sort((a, b) => Number(a.Priority) - Number(b.Priority))
    .map(
      (rule) =>
        rule.Conditions?.find((c) => c.Field === 'path-pattern')?.PathPatternConfig?.Values?.[0] ?? '',
    );
}

describe('an Ingress group end to end on the local endpoint', () => {
  it('creates the ALB; a quiet pass mutates nothing; a foreign load balancer survives; deleting the last member deletes it all', async () => {
    const foreign = await h.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: 'someone-else',
        Subnets: h.aws.topology.subnets.slice(3, 5).map((s) => s.id),
      }),
    );
    await setup(['/cart', '/pay']);
    const before = h.aws.counters.snapshot();
    await h.deliver(changeEvent('Ingress', ingress('front', ['/cart', '/pay'])));
    expect(h.aws.counters.snapshot().elbv2Mutations - before.elbv2Mutations).toBe(0);
    expect(await h.deps.state.status.list('demo')).toEqual([
      expect.objectContaining({ kind: 'Ingress', name: 'front', hostname: expect.stringContaining('elb') }),
    ]);

    await h.deliver(changeEvent('Ingress', ingress('front', ['/cart', '/pay']), 'delete'));
    const left = await loadBalancer();
    expect(left.map((lb) => lb.LoadBalancerArn)).toEqual([foreign.LoadBalancers?.[0]?.LoadBalancerArn]);
  });

  it('adding a path never answers 404/503 for the paths there before and after', async () => {
    await setup(['/cart', '/pay']);
    await h.deliver(changeEvent('Service', svc('new')));
    const probes = await neverNotFound(['/cart', '/pay'], () =>
      h.deliver(changeEvent('Ingress', ingress('front', ['/cart', '/new', '/pay']))),
    );
    expect(probes).toBeGreaterThan(0);
    expect((await rulePaths()).filter((p) => p !== '')).toContain('/new');
  });

  it('reordering paths never answers 404/503 and ends in the new order', async () => {
    await setup(['/cart', '/pay', '/ship']);
    const order = async () => (await rulePaths()).filter((p) => !p.includes('*'));
    await neverNotFound(['/cart', '/pay', '/ship'], () =>
      h.deliver(
        changeEvent(
          'Ingress',
          ingress('front', ['/ship', '/cart', '/pay'], { 'alb.ingress.kubernetes.io/group.order': '1' }),
        ),
      ),
    );
    expect(await order()).toEqual(['/ship', '/cart', '/pay']);
  });

  it('changing a health check modifies the target group in place, never answering 404/503', async () => {
    await setup(['/cart', '/pay']);
    const groupsBefore = h.aws.counters.get('elbv2', 'CreateTargetGroup');
    await neverNotFound(['/cart', '/pay'], () =>
      h.deliver(
        changeEvent(
          'Ingress',
          ingress('front', ['/cart', '/pay'], { 'alb.ingress.kubernetes.io/healthcheck-path': '/healthz' }),
        ),
      ),
    );
    expect(h.aws.counters.get('elbv2', 'CreateTargetGroup')).toBe(groupsBefore);
    expect(h.aws.counters.get('elbv2', 'ModifyTargetGroup')).toBeGreaterThan(0);
  });

  it('a target port change replaces the target group in two passes, never answering 404/503', async () => {
    await setup(['/cart', '/pay']);
    const groupNames = async () =>
      ((await h.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [])
        .map((group) => `${group.TargetGroupName}:${group.Port}`)
        .sort();
    const before = await groupNames();
    const moved = {
      ...svc('cart'),
      spec: { ...svc('cart').spec, ports: [{ name: 'http', port: 80, targetPort: 9090, protocol: 'TCP' }] },
    };
    let waited = 0;
    await neverNotFound(['/cart', '/pay'], async () => {
      // pass 1 creates and binds the new group and adds it at weight 0 beside the old one (so it
      // is health-checked), keeps the traffic on the old one, and asks to be retried
      try {
        await processEvent(h.deps, changeEvent('Service', moved));
      } catch (error) {
        expect(String(error)).toMatch(/until the new group has healthy targets/);
        waited += 1;
      }
      // the targets side registers pods in the new group; its health checks pass
      await h.registerTargets();
      h.advance(120_000);
      // the retry (Lambda's, in AWS) moves the rule and deletes the old group
      await h.deliver(changeEvent('Service', moved));
    });
    expect(waited).toBe(1);
    const after = await groupNames();
    expect(after).toHaveLength(before.length);
    expect(after.filter((name) => name.endsWith(':9090'))).toHaveLength(1);
  });

  it('one bad Ingress keeps its last rules while the rest of the group is updated; the error names it and clears when fixed', async () => {
    await h.deliver(changeEvent('Service', svc('cart')));
    await h.deliver(changeEvent('Service', svc('pay')));
    await h.deliver(changeEvent('Service', svc('new')));
    await h.deliver(changeEvent('Ingress', ingress('front', ['/cart'])));
    await h.deliver(changeEvent('Ingress', ingress('back', ['/pay'])));
    await h.registerTargets();
    h.advance(120_000);
    await neverNotFound(['/cart', '/pay'], async () => {
      await h.deliver(
        changeEvent('Ingress', ingress('back', ['/pay'], { 'alb.ingress.kubernetes.io/scheme': 'sideways' })),
      );
      await h.deliver(changeEvent('Ingress', ingress('front', ['/cart', '/new'])));
    });
    expect(await rulePaths()).toEqual(expect.arrayContaining(['/cart', '/new', '/pay']));
    const errors = await h.deps.state.errors.list('demo');
    expect(errors).toEqual([
      expect.objectContaining({ kind: 'Ingress', name: 'back', field: expect.stringContaining('scheme') }),
    ]);
    await h.deliver(changeEvent('Ingress', ingress('back', ['/pay'])));
    expect(await h.deps.state.errors.list('demo')).toEqual([]);
  });

  it('moving an Ingress to another group builds it there and removes it from the first', async () => {
    await setup(['/cart', '/pay']);
    await h.deliver(changeEvent('Ingress', ingress('solo', ['/pay'])));
    const moved = ingress('solo', ['/pay'], { 'alb.ingress.kubernetes.io/group.name': 'other' });
    await neverNotFound(['/cart', '/pay'], () => h.deliver(changeEvent('Ingress', moved)));
    expect(await loadBalancer()).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { virtualClock } from '../../../infra/local/aws/context.js';
import type { RouteResult } from '../../../infra/local/aws/elbv2/index.js';
import { parseScenario } from '../../../infra/local/scenario/parse.js';
import { sendRequest, TrafficGenerator, type TrafficWorld } from '../../../infra/local/scenario/traffic.js';
import { parseTrafficTarget } from '../../../infra/local/scenario/traffic-world.js';

const ENTRY = { loadBalancerArn: 'arn:lb', port: 80, host: 'shop.example.com', path: '/' };
const forward = (targets: string[], status = 200): RouteResult => ({
  ruleArn: 'arn:rule',
  priority: 1,
  action: { type: 'forward', targetGroupArns: ['arn:tg'] },
  status,
  targets,
});

function fakeWorld(overrides: Partial<TrafficWorld> = {}): TrafficWorld & { advance(ms: number): void } {
  const clock = virtualClock();
  return {
    now: () => clock.now(),
    setTimer: (ms, fn) => clock.setTimer(ms, fn),
    entrypoint: () => ENTRY,
    loadBalancerState: () => 'active',
    route: () => forward(['10.0.16.5:8080', '10.0.16.6:8080']),
    answers: () => true,
    advance: (ms) => clock.advance(ms),
    ...overrides,
  };
}

describe('one request', () => {
  const cases: { name: string; world: Partial<TrafficWorld>; turn?: number; want: number }[] = [
    { name: 'no load balancer yet', world: { entrypoint: () => undefined }, want: 0 },
    { name: 'load balancer still provisioning', world: { loadBalancerState: () => 'provisioning' }, want: 0 },
    {
      name: 'no listener on the port',
      world: {
        route: () => {
          throw new Error('route: load balancer has no listener on port 80');
        },
      },
      want: 0,
    },
    {
      name: 'no rule: the default fixed response',
      world: {
        route: () => ({
          ruleArn: 'default',
          priority: 'default',
          action: { type: 'fixed-response', fixedResponse: { statusCode: 404 } },
          status: 404,
        }),
      },
      want: 404,
    },
    { name: 'no healthy target to use', world: { route: () => forward([], 503) }, want: 503 },
    { name: 'the chosen pod answers', world: {}, want: 200 },
    {
      name: 'the chosen pod stopped answering',
      world: { answers: (id) => id !== '10.0.16.6' },
      turn: 1,
      want: 502,
    },
    {
      name: 'round robin skips to a live pod',
      world: { answers: (id) => id !== '10.0.16.6' },
      turn: 2,
      want: 200,
    },
    {
      name: 'instance target, node port path answers',
      world: {
        route: () => forward(['i-0abc:30080']),
        answers: (id, port) => id === 'i-0abc' && port === 30080,
      },
      want: 200,
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      expect(sendRequest(fakeWorld(c.world), 'Ingress default/shop', c.turn ?? 0)).toBe(c.want);
    });
});

describe('the traffic generator', () => {
  it('sends rps requests per clock second until stopped, and counts them by status', () => {
    let dead = false;
    const world = fakeWorld({ answers: (id) => !(dead && id === '10.0.16.6') });
    const traffic = new TrafficGenerator(world);
    traffic.start('Ingress default/shop', 20);
    world.advance(5000);
    dead = true;
    world.advance(5000);
    traffic.stop();
    world.advance(5000);
    expect(traffic.running()).toEqual([]);
    expect(traffic.report()).toEqual({ sent: 200, ok: 150, failed: 50, byStatus: { '200': 150, '502': 50 } });
  });

  it('refuses a rate that is not positive, naming the flow and the field', () => {
    expect(() => new TrafficGenerator(fakeWorld()).start('Service default/web', 0)).toThrow(
      'traffic to Service default/web: rps: must be a number > 0 (got 0)',
    );
  });
});

describe('traffic targets and the scenario fields', () => {
  it.each([
    ['Ingress default/shop', { kind: 'Ingress', key: 'default/shop' }],
    ['Service echo', { kind: 'Service', key: 'default/echo' }],
    ['Deployment default/web', undefined],
    ['Ingress Default/Shop', undefined],
  ])('%s', (to, want) => {
    expect(parseTrafficTarget(to)).toEqual(want);
  });

  const parse = (text: string) => parseScenario(text, { baseDir: '/nonexistent', source: 'traffic.yaml' });
  const steps = 'steps:\n  - settle: {}\n';

  it('reads audit, elbv2 and traffic steps, with fast defaults', () => {
    const plain = parse(`name: t\n${steps}`);
    expect({ audit: plain.audit, elbv2: plain.elbv2 }).toEqual({
      audit: { deliveryDelayMs: 1000, jitterMs: 0 },
      elbv2: { provisioningMs: 0, healthCheckJitterMs: 0 },
    });
    const full = parse(`name: t
audit: { deliveryDelayMs: 60000, jitterMs: 30000 }
elbv2: { provisioningMs: 120000 }
steps:
  - traffic: { to: Ingress default/shop, rps: 20 }
    wait: false
  - pause: { ms: 60000 }
  - traffic: { stop: true }
`);
    expect(full.audit).toEqual({ deliveryDelayMs: 60000, jitterMs: 30000 });
    expect(full.elbv2).toEqual({ provisioningMs: 120000, healthCheckJitterMs: 0 });
    expect(full.steps).toEqual([
      { kind: 'traffic', to: 'Ingress default/shop', rps: 20, index: 0, wait: false },
      { kind: 'pause', ms: 60000, index: 1, wait: true },
      { kind: 'traffic', stop: true, index: 2, wait: true },
    ]);
  });

  it.each([
    ['audit: { deliveryDelayMs: -1 }', 'traffic.yaml: audit.deliveryDelayMs: must not be negative'],
    ['audit: { lag: 5 }', 'traffic.yaml: audit.lag: unknown field(s): lag'],
    ['elbv2: { provisioningMs: 1.5 }', 'traffic.yaml: elbv2.provisioningMs: must be an integer (clock ms)'],
  ])('refuses %s', (line, message) => {
    expect(() => parse(`name: t\n${line}\n${steps}`)).toThrow(message);
  });

  it.each([
    [
      '{ to: Deployment default/web, rps: 5 }',
      'step 0 (traffic): to: must be "Ingress ns/name" or "Service ns/name"',
    ],
    ['{ to: Ingress default/shop, rps: 0 }', 'step 0 (traffic): rps: must be more than 0'],
    [
      '{ to: Ingress default/shop }',
      'step 0 (traffic): traffic: must be { to: "Ingress ns/name" | "Service ns/name", rps: N } or { stop: true }',
    ],
    [
      '{ stop: false }',
      'step 0 (traffic): traffic: must be { to: "Ingress ns/name" | "Service ns/name", rps: N } or { stop: true }',
    ],
  ])('refuses the traffic step %s, naming the step and the field', (body, message) => {
    expect(() => parse(`name: t\nsteps:\n  - traffic: ${body}\n`)).toThrow(message);
  });
});

describe('the pause step', () => {
  const parse = (text: string) => parseScenario(text, { baseDir: '/nonexistent', source: 'pause.yaml' });
  it.each([
    ['{ ms: 0 }', 'pause.yaml: step 0 (pause): ms: must be more than 0'],
    ['{ ms: -5 }', 'pause.yaml: step 0 (pause): ms: must not be negative'],
    ['{ seconds: 5 }', 'pause.yaml: step 0 (pause): ms: must be a number of clock ms'],
  ])('refuses %s, naming the field', (body, message) => {
    expect(() => parse(`name: p\nsteps:\n  - pause: ${body}\n`)).toThrow(message);
  });
});

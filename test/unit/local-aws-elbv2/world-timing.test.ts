import { describe, expect, it } from 'vitest';
import { createAlb, createListener, createTargetGroup, forwardTo, type World, world } from './fixture.js';

type Health = { TargetHealthDescriptions: { Target: { Id: string }; TargetHealth: { State: string } }[] };
type Balancers = { LoadBalancers: { State: { Code: string } }[] };

const stateOf = (w: World, group: string, id: string) =>
  w
    .call<Health>('DescribeTargetHealth', { TargetGroupArn: group })
    .TargetHealthDescriptions.find((d) => d.Target.Id === id)?.TargetHealth.State;

const fast = {
  HealthCheckIntervalSeconds: '10',
  HealthCheckTimeoutSeconds: '5',
  HealthyThresholdCount: '2',
  UnhealthyThresholdCount: '2',
};

/** the clock ms after registration at which each target first reads `healthy` (1 s resolution) */
function healthyAfter(w: World, group: string, ids: string[]): Record<string, number> {
  const seen: Record<string, number> = {};
  for (let t = 0; t <= 60_000 && Object.keys(seen).length < ids.length; t += 1000) {
    for (const id of ids) if (seen[id] === undefined && stateOf(w, group, id) === 'healthy') seen[id] = t;
    w.clock.advance(1000);
  }
  return seen;
}

describe('ELBv2 world timing', () => {
  it('keeps a load balancer provisioning for provisioningMs, then active; 0 is active at once', () => {
    const cases = [
      { provisioningMs: 0, at: [0], want: ['active'] },
      { provisioningMs: 90_000, at: [0, 89_999, 90_000], want: ['provisioning', 'provisioning', 'active'] },
    ];
    for (const c of cases) {
      const w = world();
      expect(w.elbv2.setWorldTiming({ provisioningMs: c.provisioningMs })).toEqual({
        provisioningMs: c.provisioningMs,
        healthCheckJitterMs: 0,
      });
      const arn = createAlb(w);
      const seen: string[] = [];
      let elapsed = 0;
      for (const at of c.at) {
        w.clock.advance(at - elapsed);
        elapsed = at;
        seen.push(
          w.call<Balancers>('DescribeLoadBalancers', { LoadBalancerArns: [arn] }).LoadBalancers[0]!.State
            .Code,
        );
        expect(w.elbv2.loadBalancerState(arn)).toBe(seen.at(-1));
      }
      expect({ provisioningMs: c.provisioningMs, seen }).toEqual({
        provisioningMs: c.provisioningMs,
        seen: c.want,
      });
    }
  });

  it('without jitter every target turns healthy after exactly interval × threshold; with jitter they spread within it', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `10.0.0.${10 + i}`);
    const runs = [0, 8000].map((jitter) => {
      const w = world();
      w.elbv2.setWorldTiming({ healthCheckJitterMs: jitter });
      const group = createTargetGroup(w, fast);
      createListener(w, createAlb(w), { DefaultActions: forwardTo(group) });
      w.call('RegisterTargets', { TargetGroupArn: group, Targets: ids.map((Id) => ({ Id })) });
      return Object.values(healthyAfter(w, group, ids));
    });
    const [exact, jittered] = runs as [number[], number[]];
    expect(new Set(exact)).toEqual(new Set([20_000]));
    expect(jittered).toHaveLength(ids.length);
    expect(Math.min(...jittered)).toBeGreaterThanOrEqual(20_000);
    expect(Math.max(...jittered)).toBeLessThanOrEqual(29_000);
    expect(new Set(jittered).size).toBeGreaterThan(2);
  });

  it('a target whose probe stops answering turns unhealthy after UnhealthyThresholdCount checks', () => {
    const w = world();
    w.elbv2.setWorldTiming({ healthCheckJitterMs: 3000 });
    const group = createTargetGroup(w, fast);
    createListener(w, createAlb(w), { DefaultActions: forwardTo(group) });
    w.call('RegisterTargets', { TargetGroupArn: group, Targets: [{ Id: '10.0.0.5' }] });
    w.clock.advance(40_000);
    expect(stateOf(w, group, '10.0.0.5')).toBe('healthy');
    w.elbv2.setHealthProbe(() => false);
    w.clock.advance(10_000);
    expect(stateOf(w, group, '10.0.0.5')).toBe('healthy');
    w.clock.advance(10_000);
    expect(stateOf(w, group, '10.0.0.5')).toBe('unhealthy');
  });

  it('refuses a negative timing, naming the field', () => {
    const w = world();
    expect(() => w.elbv2.setWorldTiming({ healthCheckJitterMs: -5 })).toThrow(
      /healthCheckJitterMs: must be a number >= 0/,
    );
  });
});

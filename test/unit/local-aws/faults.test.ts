import { describe, expect, it } from 'vitest';
import { Faults, globToRegExp, seededRandom } from '../../../infra/local/aws/faults.js';

describe('fault selectors', () => {
  it.each([
    { glob: 'elbv2:RegisterTargets', key: 'elbv2:RegisterTargets', matches: true },
    { glob: 'elbv2:RegisterTargets', key: 'elbv2:DeregisterTargets', matches: false },
    { glob: 'elbv2:*', key: 'elbv2:CreateRule', matches: true },
    { glob: '*:Describe*', key: 'ec2:DescribeSubnets', matches: true },
    { glob: '*:Describe*', key: 'ec2:CreateTags', matches: false },
    { glob: 'ec2:Describe.Vpcs', key: 'ec2:DescribeXVpcs', matches: false },
  ])('$glob against $key is $matches', ({ glob, key, matches }) => {
    expect(globToRegExp(glob).test(key)).toBe(matches);
  });
});

describe('Faults.decide', () => {
  it('fails exactly the next N matching calls, then retires the rule', () => {
    const faults = new Faults();
    faults.add({ match: 'elbv2:*', failNext: 2 });
    const outcomes = ['elbv2:A', 'ec2:B', 'elbv2:C', 'elbv2:D'].map((key) => {
      const [service, action] = key.split(':') as [string, string];
      return faults.decide(service, action).fail?.kind ?? 'ok';
    });
    expect(outcomes).toEqual(['throttle', 'ok', 'throttle', 'ok']);
    expect(faults.list()).toEqual([]);
  });

  it('uses the error code of a failNext rule', () => {
    const faults = new Faults();
    faults.add({ match: 'ec2:*', failNext: 1, errorCode: 'InternalError', errorStatus: 503 });
    expect(faults.decide('ec2', 'DescribeVpcs').fail).toEqual({
      kind: 'error',
      code: 'InternalError',
      status: 503,
      message: 'injected fault for ec2:DescribeVpcs',
    });
  });

  it('adds the latency of every matching rule', () => {
    const faults = new Faults();
    faults.add({ match: 'sts:*', latencyMs: 20 });
    faults.add({ match: '*:GetCallerIdentity', latencyMs: 5 });
    expect(faults.decide('sts', 'GetCallerIdentity')).toEqual({ latencyMs: 25 });
    expect(faults.decide('eks', 'DescribeCluster')).toEqual({ latencyMs: 0 });
  });

  it('throttles at the configured rate, reproducibly for a seed', () => {
    const run = (seed: number) => {
      const faults = new Faults(seed);
      faults.add({ match: 'events:PutEvents', throttleRate: 0.3 });
      return Array.from({ length: 1000 }, () => (faults.decide('events', 'PutEvents').fail ? 1 : 0));
    };
    const first = run(42);
    expect(run(42)).toEqual(first);
    expect(run(43)).not.toEqual(first);
    const rate = first.reduce<number>((sum, hit) => sum + hit, 0) / first.length;
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.35);
  });

  it.each([
    { name: 'a selector without a colon', rule: { match: 'elbv2' }, message: /service:Action/ },
    { name: 'a rate above 1', rule: { match: 'a:b', throttleRate: 1.5 }, message: /throttleRate/ },
    { name: 'an unknown field', rule: { match: 'a:b', throttle: 1 }, message: /throttle/ },
  ])('rejects $name', ({ rule, message }) => {
    expect(() => new Faults().add(rule as never)).toThrow(message);
  });

  it('removes one rule by id and reports whether it existed', () => {
    const faults = new Faults();
    const id = faults.add({ match: 'a:b', latencyMs: 1 });
    expect(faults.remove(id)).toBe(true);
    expect(faults.remove(id)).toBe(false);
  });
});

describe('seededRandom', () => {
  it('yields numbers in [0, 1)', () => {
    const random = seededRandom(9);
    const values = Array.from({ length: 100 }, random);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(100);
  });
});

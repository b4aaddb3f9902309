import { describe, expect, it } from 'vitest';
import { chunk, cidrContains, needsAllZones, planTargets } from '../../../shared/plan/targets.js';

const desired = (...keys: string[]) =>
  keys.map((key) => ({ id: key.split(':')[0]!, port: Number(key.split(':')[1]), ref: key }));
const actual = (...keys: string[]) =>
  keys.map((key) => ({ id: key.split(':')[0]!, port: Number(key.split(':')[1]), state: 'healthy' }));
const keysOf = (targets: { Id: string; Port: number }[]) => targets.map((t) => `${t.Id}:${t.Port}`);

describe('planTargets', () => {
  it('registers what is missing and deregisters what is unwanted, in a sorted order', () => {
    const changes = planTargets({
      desired: desired('10.0.0.2:80', '10.0.0.1:80'),
      actual: actual('10.0.0.1:80', '10.0.0.3:80'),
      ownership: { mode: 'all' },
      targetType: 'ip',
    });
    expect(keysOf(changes.register)).toEqual(['10.0.0.2:80']);
    expect(keysOf(changes.deregister)).toEqual(['10.0.0.3:80']);
  });
  it('the same IP on another port is another target', () => {
    const changes = planTargets({
      desired: desired('10.0.0.1:81'),
      actual: actual('10.0.0.1:80'),
      ownership: { mode: 'all' },
      targetType: 'ip',
    });
    expect(keysOf(changes.register)).toEqual(['10.0.0.1:81']);
    expect(keysOf(changes.deregister)).toEqual(['10.0.0.1:80']);
  });
  it('draining targets are invisible: re-registered if wanted, never deregistered twice', () => {
    const changes = planTargets({
      desired: desired('10.0.0.1:80'),
      actual: [
        { id: '10.0.0.1', port: 80, state: 'draining' },
        { id: '10.0.0.2', port: 80, state: 'unhealthy.draining' },
      ],
      ownership: { mode: 'all' },
      targetType: 'ip',
    });
    expect(keysOf(changes.register)).toEqual(['10.0.0.1:80']);
    expect(changes.deregister).toEqual([]);
  });
  it('no change when desired equals actual', () => {
    const changes = planTargets({
      desired: desired('10.0.0.1:80'),
      actual: actual('10.0.0.1:80'),
      ownership: { mode: 'all' },
      targetType: 'ip',
    });
    expect(changes).toEqual({ register: [], deregister: [], foreign: [], ownershipUnknown: [] });
  });

  // conformance 21: multicluster deregistration filter
  const tracked = new Set(['127.0.0.1:80', '127.0.0.2:80', '127.0.0.3:80', '127.0.0.4:80', '127.0.0.5:80']);
  const cases = [
    {
      name: 'target group slbc created: all candidates',
      ownership: { mode: 'all' as const },
      candidates: ['127.0.0.100:80', '127.0.0.101:80', '127.0.0.102:80'],
      want: ['127.0.0.100:80', '127.0.0.101:80', '127.0.0.102:80'],
    },
    {
      name: 'nothing recorded yet: none',
      ownership: { mode: 'recorded' as const, known: false, targets: new Set<string>() },
      candidates: ['127.0.0.100:80'],
      want: [],
    },
    {
      name: 'all foreign: none',
      ownership: { mode: 'recorded' as const, known: true, targets: tracked },
      candidates: ['127.0.0.100:80', '127.0.0.101:80', '127.0.0.102:80'],
      want: [],
    },
    {
      name: 'some ours: only ours',
      ownership: { mode: 'recorded' as const, known: true, targets: tracked },
      candidates: [
        '127.0.0.100:80',
        '127.0.0.101:80',
        '127.0.0.102:80',
        '127.0.0.1:80',
        '127.0.0.2:80',
        '127.0.0.3:80',
        '127.0.0.4:80',
        '127.0.0.5:80',
      ],
      want: ['127.0.0.1:80', '127.0.0.2:80', '127.0.0.3:80', '127.0.0.4:80', '127.0.0.5:80'],
    },
  ];
  it.each(cases)('ownership (conformance 21): $name', ({ ownership, candidates, want }) => {
    const changes = planTargets({ desired: [], actual: actual(...candidates), ownership, targetType: 'ip' });
    expect(keysOf(changes.deregister)).toEqual(want);
    expect(changes.foreign.length + changes.ownershipUnknown.length + changes.deregister.length).toBe(
      candidates.length,
    );
  });

  // conformance 21: AvailabilityZone
  const azCases = [
    {
      name: 'outside the VPC: all',
      ip: '172.16.0.1',
      vpc: ['10.0.0.0/16'],
      want: { Id: '172.16.0.1', Port: 8080, AvailabilityZone: 'all' },
    },
    {
      name: 'inside the VPC: not set',
      ip: '172.16.0.1',
      vpc: ['172.16.0.0/16'],
      want: { Id: '172.16.0.1', Port: 8080 },
    },
    {
      name: 'inside a secondary CIDR (custom networking)',
      ip: '100.64.3.4',
      vpc: ['10.0.0.0/16', '100.64.0.0/16'],
      want: { Id: '100.64.3.4', Port: 8080 },
    },
    {
      name: 'IPv6 inside',
      ip: '2600:1f18::5',
      vpc: ['10.0.0.0/16', '2600:1f18::/56'],
      want: { Id: '2600:1f18::5', Port: 8080 },
    },
  ];
  it.each(azCases)('availability zone (conformance 21): $name', ({ ip, vpc, want }) => {
    const changes = planTargets({
      desired: [{ id: ip, port: 8080, ref: 'pod' }],
      actual: [],
      ownership: { mode: 'all' },
      targetType: 'ip',
      vpcCidrs: vpc,
    });
    expect(changes.register).toEqual([want]);
  });
  it('instance targets never get an AvailabilityZone', () => {
    const changes = planTargets({
      desired: [{ id: 'i-1', port: 30080, ref: 'n' }],
      actual: [],
      ownership: { mode: 'all' },
      targetType: 'instance',
      vpcCidrs: ['10.0.0.0/16'],
    });
    expect(changes.register).toEqual([{ Id: 'i-1', Port: 30080 }]);
  });
});

describe('chunk (conformance 21: batches)', () => {
  it.each([
    {
      name: '4 targets by 2',
      items: [1, 2, 3, 4],
      size: 2,
      want: [
        [1, 2],
        [3, 4],
      ],
    },
    { name: 'remainder', items: [1, 2, 3], size: 2, want: [[1, 2], [3]] },
    { name: 'empty', items: [], size: 200, want: [] },
    {
      name: '401 by the default 200',
      items: Array.from({ length: 401 }, (_, i) => i),
      size: undefined,
      want: 'lengths:200,200,1',
    },
  ])('$name', ({ items, size, want }) => {
    const chunks = chunk(items, size);
    if (typeof want === 'string') expect(`lengths:${chunks.map((c) => c.length).join(',')}`).toBe(want);
    else expect(chunks).toEqual(want);
  });
  it('refuses a non-positive size', () => expect(() => chunk([1], 0)).toThrow(RangeError));
});

describe('cidrContains / needsAllZones', () => {
  it.each([
    { cidr: '10.0.0.0/16', ip: '10.0.255.1', want: true },
    { cidr: '10.0.0.0/16', ip: '10.1.0.1', want: false },
    { cidr: '0.0.0.0/0', ip: '8.8.8.8', want: true },
    { cidr: '10.0.0.5/32', ip: '10.0.0.5', want: true },
    { cidr: '2600:1f18::/56', ip: '2600:1f18:0:ff::1', want: true },
    { cidr: '2600:1f18::/56', ip: '2600:1f19::1', want: false },
    { cidr: '10.0.0.0/16', ip: '2600:1f18::1', want: false },
    { cidr: '10.0.0.0/16', ip: 'not-an-ip', want: false },
  ])('$ip in $cidr: $want', ({ cidr, ip, want }) => expect(cidrContains(cidr, ip)).toBe(want));
  it('needsAllZones is true only outside every CIDR', () => {
    expect(needsAllZones('10.0.0.1', ['192.168.0.0/16', '10.0.0.0/8'])).toBe(false);
    expect(needsAllZones('10.0.0.1', ['192.168.0.0/16'])).toBe(true);
  });
});

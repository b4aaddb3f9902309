import type { DesiredTarget } from '../model/targets.js';

/**
 * Desired vs actual targets becomes an ordered, serialisable change set. Pure.
 *
 * - Actual targets come from DescribeTargetHealth. Draining targets are invisible: a target
 *   being deregistered is neither kept nor deregistered again, and if it is wanted again it is
 *   registered again (as the LBC does).
 * - Only targets slbc owns are deregistered: all of them in a target group slbc created (or
 *   that carries its cluster tag), only recorded ones otherwise, and none while nothing has
 *   been recorded yet (ownership unknown).
 * - Registering comes first and deregistering after, so a rollout never leaves the target group
 *   with fewer serving targets than it needs (the reconcile applies them in that order).
 * - An IP outside every CIDR of the target group's VPC gets AvailabilityZone=all, which AWS
 *   requires for such targets (RFC 1918 and 100.64.0.0/10 peers, VPC-CNI custom networking).
 */
export const CHUNK_SIZE = 200;

export interface TargetDescription {
  Id: string;
  Port: number;
  AvailabilityZone?: string;
}

export interface ActualTarget {
  id: string;
  port: number;
  /** TargetHealth.State */
  state?: string;
  /** TargetHealth.Reason and Description: a readiness-gate condition carries them */
  reason?: string;
  description?: string;
}

export type OwnershipView =
  | { mode: 'all' }
  | { mode: 'recorded'; known: boolean; targets: ReadonlySet<string> };

export interface TargetChanges {
  register: TargetDescription[];
  deregister: TargetDescription[];
  /** unwanted targets left alone because slbc does not own them */
  foreign: string[];
  /** unwanted targets left alone because ownership is not known yet */
  ownershipUnknown: string[];
}

const DRAINING = new Set(['draining', 'unhealthy.draining']);

export function targetKey(target: { id: string; port: number }): string {
  return `${target.id}:${target.port}`;
}

export function planTargets(input: {
  desired: readonly DesiredTarget[];
  actual: readonly ActualTarget[];
  ownership: OwnershipView;
  targetType: 'ip' | 'instance';
  /** CIDRs of the target group's VPC (ip targets only) */
  vpcCidrs?: readonly string[];
}): TargetChanges {
  const current = new Map<string, ActualTarget>();
  for (const target of input.actual) {
    if (!DRAINING.has(target.state ?? '')) current.set(targetKey(target), target);
  }
  const wanted = new Map(input.desired.map((target) => [targetKey(target), target]));
  const register: TargetDescription[] = [];
  for (const [key, target] of wanted) {
    if (current.has(key)) continue;
    const outside =
      input.targetType === 'ip' && input.vpcCidrs !== undefined && needsAllZones(target.id, input.vpcCidrs);
    register.push({ Id: target.id, Port: target.port, ...(outside ? { AvailabilityZone: 'all' } : {}) });
  }
  const deregister: TargetDescription[] = [];
  const foreign: string[] = [];
  const ownershipUnknown: string[] = [];
  for (const [key, target] of current) {
    if (wanted.has(key)) continue;
    const ownership = input.ownership;
    if (ownership.mode === 'all' || ownership.targets.has(key))
      deregister.push({ Id: target.id, Port: target.port });
    else if (!ownership.known) ownershipUnknown.push(key);
    else foreign.push(key);
  }
  const byKey = (a: TargetDescription, b: TargetDescription) =>
    targetKey({ id: a.Id, port: a.Port }) < targetKey({ id: b.Id, port: b.Port }) ? -1 : 1;
  return {
    register: register.sort(byKey),
    deregister: deregister.sort(byKey),
    foreign: foreign.sort(),
    ownershipUnknown: ownershipUnknown.sort(),
  };
}

export function chunk<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  if (size < 1) throw new RangeError(`chunk size must be positive, got ${size}`);
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** True when the IP lies outside every VPC CIDR: AWS then requires AvailabilityZone (we send `all`). */
export function needsAllZones(ip: string, vpcCidrs: readonly string[]): boolean {
  return !vpcCidrs.some((cidr) => cidrContains(cidr, ip));
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base = '', bitsText] = cidr.split('/');
  const network = parseIp(base);
  const address = parseIp(ip);
  if (network === undefined || address === undefined || network.width !== address.width) return false;
  const bits = bitsText === undefined ? network.width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > network.width) return false;
  const shift = BigInt(network.width - bits);
  return network.value >> shift === address.value >> shift;
}

function parseIp(text: string): { value: bigint; width: 32 | 128 } | undefined {
  if (text.includes(':')) return parseIpv6(text);
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return { value, width: 32 };
}

function parseIpv6(text: string): { value: bigint; width: 128 } | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] === '' || halves[0] === undefined ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? (halves[1] ?? '').split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return { value, width: 128 };
}

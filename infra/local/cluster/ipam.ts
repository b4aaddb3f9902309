/**
 * Hands out IPv4 addresses from a subnet's CIDR, the way the VPC CNI gives pods secondary IPs
 * from their node's subnet. AWS reserves the first four addresses and the last one of every
 * subnet, so those are never returned. Released addresses go back at the end of the free list,
 * so an IP is not reused straight away (a reused IP would confuse target health and dedupe).
 */
import { InvalidInputError } from '../../../shared/errors.js';

export function parseIpv4(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: "${ip}"`);
  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) throw new Error(`not an IPv4 address: "${ip}"`);
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (ip === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32)
    throw new Error(`not an IPv4 CIDR: "${cidr}"`);
  const size = 2 ** (32 - bits);
  const base = Math.floor(parseIpv4(ip) / size) * size;
  return { base, size };
}

export class SubnetIpam {
  private readonly free: number[] = [];
  private readonly used = new Set<number>();

  constructor(
    readonly subnetId: string,
    cidr: string,
  ) {
    const { base, size } = parseCidr(cidr);
    for (let offset = 4; offset < size - 1; offset++) this.free.push(base + offset);
  }

  allocate(): string {
    const value = this.free.shift();
    if (value === undefined)
      throw new InvalidInputError(`subnet ${this.subnetId} has no free IP addresses left`, {
        subject: { kind: 'Subnet', name: this.subnetId },
      });
    this.used.add(value);
    return formatIpv4(value);
  }

  release(ip: string): void {
    const value = parseIpv4(ip);
    if (this.used.delete(value)) this.free.push(value);
  }

  get available(): number {
    return this.free.length;
  }
}

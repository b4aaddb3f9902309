/**
 * IPv4 and IPv6 address and CIDR parsing for the `cidr` pattern operator. Addresses become
 * bigints, so one containment test serves both families.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface CidrRange {
  family: 4 | 6;
  /** the network address with host bits cleared */
  network: bigint;
  mask: bigint;
}

/** parses `10.0.0.0/24` or `2001:db8::/32`; returns a reason string when it is not a CIDR */
export function parseCidr(text: string): CidrRange | string {
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) return `"${text}" is not a CIDR block (one "/" required)`;
  const address = parseIp(text.slice(0, slash));
  if (!address) return `"${text}" is not a CIDR block (bad address)`;
  const bitsText = text.slice(slash + 1);
  const width = address.family === 4 ? 32 : 128;
  const bits = Number(bitsText);
  if (!/^\d{1,3}$/.test(bitsText) || bits > width)
    return `"${text}" is not a CIDR block (prefix length must be 0-${width})`;
  const all = (1n << BigInt(width)) - 1n;
  const mask = all ^ ((1n << BigInt(width - bits)) - 1n);
  return { family: address.family, network: address.value & mask, mask };
}

export function cidrContains(range: CidrRange, ip: string): boolean {
  const address = parseIp(ip);
  return (
    address !== undefined && address.family === range.family && (address.value & range.mask) === range.network
  );
}

export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  if (isIPv4(text)) return { family: 4, value: ipv4ToBigint(text) };
  if (isIPv6(text)) return { family: 6, value: ipv6ToBigint(text) };
  return undefined;
}

function ipv4ToBigint(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigint(text: string): bigint {
  let body = text.split('%')[0] ?? text;
  // an embedded IPv4 tail (::ffff:10.0.0.1) is two 16-bit groups
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToBigint(tail);
    body = `${body.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const zeros =
    rest === undefined ? [] : new Array<string>(8 - headGroups.length - restGroups.length).fill('0');
  return [...headGroups, ...zeros, ...restGroups].reduce(
    (acc, group) => (acc << 16n) | BigInt(`0x${group}`),
    0n,
  );
}
